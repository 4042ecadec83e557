from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongzhi.monitoring"
    label = "monitoring"
    verbose_name = _("防止返贫动态监测")

    def ready(self) -> None:
        from gongzhi.accounts.roles import Role
        from gongzhi.core import navgroups
        from gongzhi.core import registry as r
        from gongzhi.monitoring.indicators import FIGURES
        from gongzhi.monitoring.models import (
            ASSIST,
            COUNTY_DECIDE,
            SELF,
            SETTINGS,
            TOWN_CHECK,
            VIEW,
            VILLAGE_REVIEW,
            VISIT,
            WARN_IMPORT,
        )

        county, town, village, officer = (
            Role.COUNTY_BUREAU,
            Role.TOWN_STAFF,
            Role.VILLAGE_CADRE,
            Role.ASSISTANCE_OFFICER,
        )
        r.register_actions(
            self.label,
            r.ActionSpec(VIEW, _("查看防返贫监测"), frozenset({county, town, village, officer})),
            r.ActionSpec(VISIT, _("走访排查、发现风险"), frozenset({town, village, officer})),
            r.ActionSpec(VILLAGE_REVIEW, _("村级评议、申请风险消除"), frozenset({village})),
            r.ActionSpec(TOWN_CHECK, _("镇级审核"), frozenset({town})),
            r.ActionSpec(COUNTY_DECIDE, _("县级确定"), frozenset({county})),
            r.ActionSpec(ASSIST, _("落实帮扶措施"), frozenset({county, town, officer})),
            r.ActionSpec(WARN_IMPORT, _("导入部门预警名单"), frozenset({county})),
            r.ActionSpec(SELF, _("农户本人申报、查看帮扶"), frozenset({Role.HOUSEHOLD})),
            r.ActionSpec(SETTINGS, _("设置监测线和公示期"), frozenset({county})),
        )
        r.register_nav(
            r.NavEntry(_("防返贫监测"), "monitoring:home", (VIEW,), 50, navgroups.RURAL),
            r.NavEntry(_("我家的帮扶"), "monitoring:mine", (SELF,), 51, navgroups.RURAL),
        )
        r.register_start(
            "monitoring:home",
            Role.COUNTY_BUREAU,
            Role.TOWN_STAFF,
            Role.VILLAGE_CADRE,
            Role.ASSISTANCE_OFFICER,
        )
        r.register_start("monitoring:mine", Role.HOUSEHOLD)
        r.register_ledger("monitoring_households", "gongzhi.monitoring.ledger:MONITORING_LEDGER")
        r.register_ledger("monitoring_warnings", "gongzhi.monitoring.warning_ledger:WARNING_LEDGER")
        r.register_figures(
            self.label,
            "gongzhi.monitoring.indicators:figures",
            FIGURES,
            # what the provider reads: its answers are stored while these are unchanged (insights.store)
            sources=(
                "monitoring.Case",
                "monitoring.Visit",
                "monitoring.Measure",
            ),
        )
        post, both = ("POST",), ("GET", "POST")
        r.register_rules(
            {
                "monitoring:home": VIEW,
                "monitoring:households": VIEW,
                "monitoring:case": VIEW,
                "monitoring:visit": r.Rule(VISIT, both),
                "monitoring:household_new": r.Rule(VISIT, both),
                "monitoring:income": r.Rule(VISIT, both),
                "monitoring:settings": r.Rule(SETTINGS, both),
                "monitoring:decide": r.Rule(VIEW, post, any_of=(VILLAGE_REVIEW, TOWN_CHECK, COUNTY_DECIDE)),
                "monitoring:eliminate": r.Rule(VILLAGE_REVIEW, post),
                "monitoring:measure": r.Rule(ASSIST, post),
                "monitoring:overdue": VIEW,
                "monitoring:stalled": VIEW,
                "monitoring:warnings": r.Rule(WARN_IMPORT, both),
                "monitoring:mine": r.Rule(SELF, both),
                "monitoring-household-list": r.SIGNED_IN,
                "monitoring-household-detail": VIEW,
                "monitoring-case-list": r.SIGNED_IN,
                "monitoring-case-detail": VIEW,
                "monitoring-visit-list": r.SIGNED_IN,
                "monitoring-visit-detail": VIEW,
                "monitoring-warninglist-list": r.SIGNED_IN,
                "monitoring-warninglist-detail": VIEW,
            }
        )
