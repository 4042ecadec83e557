from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectivesConfig(AppConfig):
    """Collective "三资" supervision and the town rating (平度市, issue 14 item 2)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "gongzhi.collectives"
    label = "collectives"
    verbose_name = _("农村集体三资监管")

    def ready(self) -> None:
        from gongzhi.core.reference import register_reference

        register_reference(
            self.label,
            "gongzhi.collectives.migrations.0002_default_settings:forwards",
            "ContractLimit",
            "Threshold",
            "Criterion",
            "GradeFloor",
        )  # put back after a flush
        from gongzhi.accounts.roles import Role
        from gongzhi.collectives.indicators import FIGURES
        from gongzhi.collectives.models import DISCLOSURE, MANAGE, SETTINGS, VIEW
        from gongzhi.core import navgroups
        from gongzhi.core import registry as r

        county, town, village = Role.COUNTY_BUREAU, Role.TOWN_STAFF, Role.VILLAGE_CADRE
        staff = frozenset(str(x) for x in (Role.DISTRICT_ADMIN, county, town, village))
        r.register_actions(
            self.label,
            r.ActionSpec(VIEW, _("查看村集体三资"), staff),
            r.ActionSpec(MANAGE, _("登记三资、合同、收支和四议两公开"), staff),
            r.ActionSpec(SETTINGS, _("设置合同限定、重大事项标准和镇街评定规则"), frozenset({str(county)})),
            r.ActionSpec(DISCLOSURE, _("查看村务（三资）公开栏"), staff | {str(Role.HOUSEHOLD)}),
        )
        r.register_nav(
            r.NavEntry(_("三资监管"), "collectives:home", (VIEW,), 55, navgroups.RURAL),
            r.NavEntry(_("镇街评定"), "collectives:rating", (VIEW,), 56, navgroups.RURAL),
            r.NavEntry(_("村务公开栏"), "collectives:public", (DISCLOSURE,), 57, navgroups.RURAL),
        )
        r.register_figures(
            self.label,
            "gongzhi.collectives.indicators:figures",
            FIGURES,
            # what the provider reads: its answers are stored while these are unchanged (insights.store)
            sources=(
                "collectives.Asset",
                "collectives.Contract",
                "collectives.Entry",
                "collectives.Criterion",
                "collectives.GradeFloor",
                "organisations.Organisation",
                "trading.Listing",
                "agribiz.CoopProfile",
                "agribiz.FamilyFarm",
            ),
        )
        post = ("POST",)
        both = ("GET", "POST")
        r.register_rules(
            {
                "collectives:home": VIEW,
                "collectives:detail": VIEW,
                "collectives:contracts": VIEW,
                "collectives:contract_new": r.Rule(MANAGE, both),
                "collectives:entry_new": r.Rule(MANAGE, both),
                "collectives:decision_new": r.Rule(MANAGE, both),
                "collectives:asset": VIEW,
                "collectives:asset_new": r.Rule(MANAGE, both),
                "collectives:asset_edit": r.Rule(MANAGE, both),
                "collectives:resource": VIEW,
                "collectives:resource_new": r.Rule(MANAGE, both),
                "collectives:resource_edit": r.Rule(MANAGE, both),
                "collectives:account": VIEW,
                "collectives:account_new": r.Rule(MANAGE, both),
                "collectives:account_edit": r.Rule(MANAGE, both),
                "collectives:entry_edit": r.Rule(MANAGE, both),
                "collectives:decision": VIEW,
                "collectives:step": r.Rule(MANAGE, post),
                "collectives:rating": VIEW,
                "collectives:settings": r.Rule(SETTINGS, both),
                "collectives:public": DISCLOSURE,
                "collectives:disclosure": DISCLOSURE,
                "collectives:disclosure_pdf": DISCLOSURE,
                "collectives-collective-list": r.SIGNED_IN,
                "collectives-collective-detail": VIEW,
                "collectives-contract-list": r.SIGNED_IN,
                "collectives-contract-detail": VIEW,
                "collectives-entry-list": r.SIGNED_IN,
                "collectives-entry-detail": VIEW,
                "collectives-asset-list": r.SIGNED_IN,
                "collectives-asset-detail": VIEW,
                "collectives-resource-list": r.SIGNED_IN,
                "collectives-resource-detail": VIEW,
                "collectives-account-list": r.SIGNED_IN,
                "collectives-account-detail": VIEW,
                "collectives-decision-list": r.SIGNED_IN,
                "collectives-decision-detail": VIEW,
            }
        )
        r.register_ledger("collectives", "gongzhi.collectives.ledger:COLLECTIVES_LEDGER")
