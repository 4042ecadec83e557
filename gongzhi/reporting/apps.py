from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongzhi.reporting"
    label = "reporting"
    verbose_name = _("双报到")

    def ready(self) -> None:
        from gongzhi.core.reference import register_reference

        register_reference(
            self.label, "gongzhi.reporting.migrations.0002_skills:seed", "Skill"
        )  # put back after a flush
        from gongzhi.accounts.roles import STAFF_ROLES, Role
        from gongzhi.core import navgroups as g
        from gongzhi.core import registry as r
        from gongzhi.reporting.indicators import FIGURES
        from gongzhi.reporting.models import CONFIRM, MANAGE, SELF, VIEW, VOCABULARY

        r.register_actions(
            self.label,
            r.ActionSpec(VIEW, _("查看双报到"), frozenset({*STAFF_ROLES, Role.PARTY_SECRETARY})),
            r.ActionSpec(MANAGE, _("维护双报到（单位、报到、需求、匹配、服务记录）"), frozenset(STAFF_ROLES)),
            r.ActionSpec(CONFIRM, _("确认在职党员服务记录"), frozenset({*STAFF_ROLES, Role.PARTY_SECRETARY})),
            r.ActionSpec(SELF, _("在职党员本人报到"), frozenset({Role.PARTY_MEMBER})),
            r.ActionSpec(VOCABULARY, _("维护技能目录"), frozenset({Role.DISTRICT_ADMIN})),
        )
        r.register_nav(r.NavEntry(_("双报到"), "reporting:home", (VIEW, SELF), 36, g.REPORTING))
        r.register_figures(
            self.label,
            "gongzhi.reporting.indicators:figures",
            FIGURES,
            # what the provider reads: its answers are stored while these are unchanged (insights.store)
            sources=(
                "reporting.Report",
                "reporting.ContactPoint",
                "reporting.Need",
                "reporting.Match",
                "reporting.ServiceRecord",
                "organisations.Organisation",
                "organisations.Coverage",
            ),
        )
        r.register_ledger("reporting", "gongzhi.reporting.ledger:REPORTING_LEDGER")
        post, both = ("POST",), ("GET", "POST")
        r.register_rules(
            {
                "reporting:home": r.Rule(
                    VIEW, any_of=(VIEW, SELF)
                ),  # staff to the overview, members to their page
                "reporting:me": r.Rule(SELF, both),
                "reporting:answer": r.Rule(r.OWN, post),  # 404 to anyone but the member proposed
                "reporting:my_record": r.Rule(SELF, post),
                "reporting:overview": VIEW,
                "reporting:unit": VIEW,
                "reporting:card_xlsx": VIEW,
                "reporting:card_pdf": VIEW,
                "reporting:staff_report": r.Rule(MANAGE, both),
                "reporting:needs": VIEW,
                "reporting:need_new": r.Rule(MANAGE, both),
                "reporting:need": VIEW,
                "reporting:propose": r.Rule(MANAGE, post),
                "reporting:withdraw": r.Rule(MANAGE, post),
                "reporting:run": r.Rule(MANAGE, post),
                "reporting:records": VIEW,
                "reporting:confirm": r.Rule(CONFIRM, post),
                "reporting:shortfall": VIEW,
                "reporting:skills": r.Rule(VOCABULARY, both),
                "reporting:resources": r.Rule(MANAGE, both),
                "reporting:projects": r.Rule(MANAGE, both),
                "reporting:posts": r.Rule(MANAGE, both),
                "reporting:hours": r.Rule(MANAGE, both),
                "reporting:claim": r.Rule(SELF, post),
                "reporting-unit-list": r.SIGNED_IN,
                "reporting-unit-detail": VIEW,
                "reporting-member-list": r.SIGNED_IN,
                "reporting-member-detail": VIEW,
                "reporting-need-list": r.SIGNED_IN,
                "reporting-need-detail": VIEW,
                "reporting-record-list": r.SIGNED_IN,
                "reporting-record-detail": VIEW,
            }
        )
