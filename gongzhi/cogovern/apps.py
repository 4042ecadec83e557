from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CogovernConfig(AppConfig):
    """The 1+3+N co-governance community and the property-management map (issue 10)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "gongzhi.cogovern"
    label = "cogovern"

    def ready(self) -> None:
        from gongzhi.core.reference import register_reference

        register_reference(
            self.label, "gongzhi.cogovern.migrations.0002_default_score_sheet:forwards", "ScoreSheet"
        )  # put back after a flush
        from gongzhi.accounts.roles import STAFF_ROLES, Role
        from gongzhi.cogovern.indicators import FIGURES
        from gongzhi.cogovern.models import EDIT, VIEW
        from gongzhi.core import navgroups as g
        from gongzhi.core import registry as r

        viewers = (*STAFF_ROLES, Role.PARTY_SECRETARY, Role.COMMITTEE_MEMBER, Role.PROPERTY_STAFF)
        r.register_actions(
            self.label,
            r.ActionSpec(VIEW, _("查看共治共同体和物管地图"), frozenset(str(x) for x in viewers)),
            r.ActionSpec(EDIT, _("维护业委会、物业企业和共治参与方"), frozenset(str(x) for x in STAFF_ROLES)),
        )
        r.register_nav(r.NavEntry(_("物管地图"), "cogovern:home", (VIEW,), 35, g.COMMUNITY))
        r.register_figures(
            self.label,
            "gongzhi.cogovern.indicators:figures",
            FIGURES,
            # what the provider reads: its answers are stored while these are unchanged (insights.store)
            sources=(
                "cogovern.CompoundStatus",
                "cogovern.CommunityMap",
                "cogovern.CompanyProfile",
                "cogovern.Contract",
                "organisations.Organisation",
                "organisations.Coverage",
            ),
        )
        r.register_ledger("property_companies", "gongzhi.cogovern.ledger:COMPANIES_LEDGER")
        r.register_ledger("cogovern_committees", "gongzhi.cogovern.ledger_bodies:COMMITTEES_LEDGER")
        r.register_ledger("cogovern_participants", "gongzhi.cogovern.ledger_bodies:SUPERVISION_LEDGER")
        r.register_ledger("cogovern_records", "gongzhi.cogovern.ledger_records:RECORDS_LEDGER")
        post = ("POST",)
        r.register_rules(
            {
                "cogovern:home": r.SIGNED_IN,  # redirects to the map of the user's top place
                "cogovern:map": VIEW,
                "cogovern:map_data": VIEW,
                "cogovern:map_pdf": VIEW,
                "cogovern:map_mark": r.Rule(EDIT, post),
                "cogovern:card": VIEW,
                "cogovern:steps": VIEW,
                "cogovern:step": r.Rule(EDIT, post),
                "cogovern:pick_person": EDIT,
                "cogovern:overdue": VIEW,
                "cogovern:companies": r.SIGNED_IN,
                "cogovern:company": VIEW,
                "cogovern:redblack": VIEW,
                "cogovern-committee-list": r.SIGNED_IN,
                "cogovern-committee-detail": VIEW,
                "cogovern-company-list": r.SIGNED_IN,
                "cogovern-company-detail": VIEW,
                "cogovern-contract-list": r.SIGNED_IN,
                "cogovern-contract-detail": VIEW,
                "cogovern-participant-list": r.SIGNED_IN,
                "cogovern-participant-detail": VIEW,
                "cogovern-self-list": r.SIGNED_IN,
                "cogovern-self-detail": VIEW,
                "cogovern-evaluation-list": r.SIGNED_IN,
                "cogovern-evaluation-detail": VIEW,
                "cogovern-complaint-list": r.SIGNED_IN,
                "cogovern-complaint-detail": VIEW,
                "cogovern-listentry-list": r.SIGNED_IN,
                "cogovern-listentry-detail": VIEW,
                "cogovern-meeting-list": r.SIGNED_IN,
                "cogovern-meeting-detail": VIEW,
                "cogovern-transition-list": r.SIGNED_IN,
                "cogovern-transition-detail": VIEW,
                "cogovern-assembly-list": r.SIGNED_IN,
                "cogovern-assembly-detail": VIEW,
                "cogovern-map-list": r.SIGNED_IN,
                "cogovern-map-detail": VIEW,
                "cogovern-scoresheet-list": r.SIGNED_IN,
                "cogovern-scoresheet-detail": VIEW,  # one sheet for the district: VIEW anywhere
            }
        )
