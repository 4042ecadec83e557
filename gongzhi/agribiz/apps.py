from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgribizConfig(AppConfig):
    """New agricultural business entities (新型农业经营主体, 平度市, issue 14 item 4): cooperatives and family farms."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "gongzhi.agribiz"
    label = "agribiz"

    def ready(self) -> None:
        from gongzhi.core.reference import register_reference

        register_reference(
            self.label, "gongzhi.agribiz.migrations.0002_products:forward", "Product"
        )  # put back after a flush
        from gongzhi.accounts.roles import Role
        from gongzhi.agribiz.indicators import FIGURES
        from gongzhi.agribiz.models import MANAGE, REPORT, VIEW
        from gongzhi.core import navgroups
        from gongzhi.core import registry as r

        staff = (Role.DISTRICT_ADMIN, Role.COUNTY_BUREAU, Role.TOWN_STAFF)
        r.register_actions(
            self.label,
            r.ActionSpec(
                VIEW, _("查看合作社、家庭农场名录"), frozenset(str(x) for x in (*staff, Role.VILLAGE_CADRE))
            ),
            r.ActionSpec(MANAGE, _("登记、修改合作社和家庭农场"), frozenset(str(x) for x in staff)),
            r.ActionSpec(
                REPORT,
                _("报送合作社、家庭农场年度报告"),
                frozenset(str(x) for x in (*staff, Role.VILLAGE_CADRE)),
            ),
        )
        r.register_nav(r.NavEntry(_("合作社与家庭农场"), "agribiz:home", (VIEW,), 70, navgroups.RURAL))
        r.register_ledger("agribiz", "gongzhi.agribiz.ledger:AGRIBIZ_LEDGER")
        r.register_figures(
            self.label,
            "gongzhi.agribiz.indicators:figures",
            FIGURES,
            # what the provider reads: its answers are stored while these are unchanged (insights.store)
            sources=(
                "agribiz.CoopProfile",
                "agribiz.FamilyFarm",
                "organisations.Organisation",
            ),
        )
        both = ("GET", "POST")
        r.register_rules(
            {
                "agribiz:home": VIEW,
                "agribiz:compare": VIEW,
                "agribiz:coops": VIEW,
                "agribiz:farms": VIEW,
                "agribiz:coop": VIEW,
                "agribiz:farm": VIEW,
                "agribiz:coop_new": r.Rule(MANAGE, both),
                "agribiz:farm_new": r.Rule(MANAGE, both),
                "agribiz:coop_edit": r.Rule(MANAGE, both),
                "agribiz:coop_members": r.Rule(MANAGE, both),
                "agribiz:farm_edit": r.Rule(MANAGE, both),
                "agribiz:coop_report": r.Rule(REPORT, both),
                "agribiz:farm_report": r.Rule(REPORT, both),
                "agribiz-coop-list": r.SIGNED_IN,
                "agribiz-coop-detail": VIEW,
                "agribiz-farm-list": r.SIGNED_IN,
                "agribiz-farm-detail": VIEW,
                "agribiz-coopreport-list": r.SIGNED_IN,
                "agribiz-coopreport-detail": VIEW,
                "agribiz-farmreport-list": r.SIGNED_IN,
                "agribiz-farmreport-detail": VIEW,
            }
        )
