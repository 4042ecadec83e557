from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongzhi.places"
    label = "places"

    def ready(self) -> None:
        from gongzhi.accounts.roles import GOVERNANCE_ROLES, STAFF_ROLES, Action, Role, grant
        from gongzhi.core import lookups  # noqa: F401  (registers the `under` lookup)
        from gongzhi.core import navgroups as g
        from gongzhi.core import registry as r
        from gongzhi.places.indicators import FIGURES

        r.register_actions(
            self.label,
            grant(Action.PLACE_VIEW, *Role),
            grant(Action.PLACE_EDIT, *STAFF_ROLES),
            grant(Action.GOVERNANCE_VIEW, *GOVERNANCE_ROLES),
        )
        # "/" (places:home) sends every role to its start page; the menu entry is the governance roles'.
        r.register_nav(r.NavEntry(_("区域"), "places:home", (Action.GOVERNANCE_VIEW,), 10, g.GOVERNANCE))
        r.register_ledger("homes", "gongzhi.places.ledger:HOMES_LEDGER")
        r.register_figures(self.label, "gongzhi.places.indicators:figures", FIGURES)
        view, edit, both = Action.PLACE_VIEW, Action.PLACE_EDIT, ("GET", "POST")
        r.register_rules(
            {
                "places:home": r.SIGNED_IN,
                "places:search": Action.GOVERNANCE_VIEW,  # 小区治理's search, within the place.view scope
                "places:pick_compounds": r.SIGNED_IN,  # finds only the user's own compounds
                "places:division": view,
                "places:compound": view,
                "places:building": view,
                "places:home_detail": view,
                "places:compound_add": r.Rule(edit, both),
                "places:compound_edit": r.Rule(edit, both),
                "places:building_add": r.Rule(edit, both),
                "division-list": r.SIGNED_IN,
                "division-detail": view,
                "compound-list": r.SIGNED_IN,
                "compound-detail": view,
                "building-list": r.SIGNED_IN,
                "building-detail": view,
                "home-list": r.SIGNED_IN,
                "home-detail": view,
            }
        )
