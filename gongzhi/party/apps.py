from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongzhi.party"
    label = "party"

    def ready(self) -> None:
        from gongzhi.accounts.roles import STAFF_ROLES, Action, Role, grant
        from gongzhi.core import navgroups as g
        from gongzhi.core import registry as r
        from gongzhi.party.indicators import FIGURES

        view, edit = Action.PARTY_VIEW, Action.PARTY_EDIT
        r.register_person_section("gongzhi.party.mydata:sections", 40, shown_to=(r.SELF,))
        r.register_actions(
            self.label,
            grant(view, *STAFF_ROLES, Role.PARTY_SECRETARY, Role.BUILDING_LEADER, Role.PARTY_MEMBER),
            grant(edit, *STAFF_ROLES, Role.PARTY_SECRETARY),
        )
        r.register_nav(
            r.NavEntry(_("党组织"), "party:home", (view,), 30, g.COMMUNITY),
            r.NavEntry(_("党员"), "party:members", (view,), 31, g.COMMUNITY),
        )
        r.register_ledger("party", "gongzhi.party.ledger:PARTY_LEDGER")
        r.register_figures(
            self.label,
            "gongzhi.party.indicators:figures",
            FIGURES,
            # what the provider reads: its answers are stored while these are unchanged (insights.store)
            sources=("party.CompoundPartyStats",),
        )
        r.register_person_section("gongzhi.party.selectors:person_section", 20, shown_to=(r.STAFF,))
        post = ("POST",)
        r.register_rules(
            {
                "party:home": r.SIGNED_IN,  # redirects to the chain or dashboard of the user's top place
                "party:dashboard": view,
                "party:chain": view,
                "party:chain_tree": view,
                "party:chain_form": r.Rule(edit, ("GET", "POST")),
                "party:pick_candidates": edit,
                "party:household_links": r.Rule(edit, ("GET", "POST")),
                "party:household_remove": r.Rule(edit, post),
                "party:group_remove": r.Rule(edit, post),
                "party:organisation_remove": r.Rule(edit, post),
                "party:gaps": view,
                "party:members": view,
                "party:organisations": view,
                "party:settings": r.SIGNED_IN,
                "party-gaps": view,
                "party-organisation-list": r.SIGNED_IN,
                "party-organisation-detail": view,
                "party-organisation-seats": r.Rule(edit, post),
                "party-member-list": r.SIGNED_IN,
                "party-member-detail": view,
                "party-member-transfer": r.Rule(edit, post),
                "party-member-make-full": r.Rule(edit, post),
                "party-group-list": r.SIGNED_IN,
                "party-group-detail": view,
                "party-household-list": r.SIGNED_IN,
                "party-household-detail": view,
                "party-setting-list": r.SIGNED_IN,
                "party-setting-detail": view,
            }
        )
