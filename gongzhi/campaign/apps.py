from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongzhi.campaign"
    label = "campaign"
    verbose_name = _("专项行动")

    def ready(self) -> None:
        from gongzhi.core.reference import register_reference

        register_reference(
            self.label, "gongzhi.campaign.migrations.0002_goal_types:add", "GoalType"
        )  # put back after a flush
        from gongzhi.accounts.roles import STAFF_ROLES, Role
        from gongzhi.campaign.indicators import FIGURES
        from gongzhi.core import navgroups as g
        from gongzhi.core import registry as r

        view, manage, report = "campaign.view", "campaign.manage", "campaign.report"
        r.register_actions(
            self.label,
            r.ActionSpec(view, _("查看专项行动"), frozenset({*STAFF_ROLES, Role.PARTY_SECRETARY})),
            r.ActionSpec(
                manage, _("管理专项行动和攻坚目标"), frozenset({Role.DISTRICT_ADMIN, Role.SUBDISTRICT_STAFF})
            ),
            r.ActionSpec(report, _("填报攻坚目标进度"), frozenset({*STAFF_ROLES, Role.PARTY_SECRETARY})),
        )
        r.register_nav(r.NavEntry(_("专项行动"), "campaign:home", (view,), 50, g.COCKPIT))
        r.register_figures(
            self.label,
            "gongzhi.campaign.indicators:figures",
            FIGURES,
            # what the provider reads: its answers are stored while these are unchanged (insights.store)
            sources=(
                "campaign.Target",
                "campaign.Measure",
                "campaign.Phase",
                "campaign.Campaign",
                "campaign.Update",
            ),
        )
        post = ("POST",)
        r.register_rules(
            {
                "campaign:home": view,  # the campaigns whose targets lie in the user's places
                "campaign:detail": r.SIGNED_IN,  # shows only the targets in the user's places
                "campaign:target": view,
                "campaign:target_new": r.Rule(manage, ("GET", "POST")),
                "campaign:target_report": r.Rule(report, post),
                "campaign:evidence": view,
                "campaign:sync": r.Rule(manage, post),
            }
        )
