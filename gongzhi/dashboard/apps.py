from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongzhi.dashboard"
    label = "dashboard"
    verbose_name = _("驾驶舱")

    def ready(self) -> None:
        from gongzhi.core.reference import register_reference

        register_reference(
            self.label, "gongzhi.dashboard.migrations.0002_default_bulletin_template:add", "BulletinTemplate"
        )  # put back after a flush
        from gongzhi.accounts.roles import STAFF_ROLES, Role
        from gongzhi.core import navgroups as g
        from gongzhi.core import registry as r

        make, manage = "bulletin.make", "bulletin.manage"
        r.register_actions(
            self.label,
            r.ActionSpec(make, _("生成工作简报"), frozenset(STAFF_ROLES)),
            r.ActionSpec(manage, _("编辑简报模板、保存指标快照"), frozenset({Role.DISTRICT_ADMIN})),
        )
        cockpit = "governance.view"  # the governance roles' (accounts.roles.GOVERNANCE_ROLES)
        r.register_nav(r.NavEntry(_("驾驶舱"), "dashboard:home", (cockpit,), 5, g.COCKPIT))
        r.register_rules(
            {
                "dashboard:home": cockpit,  # redirects to the user's top place
                "dashboard:place": cockpit,
                "dashboard:snapshot": r.Rule(manage, ("POST",)),
                "dashboard:bulletin": make,
                "dashboard:bulletin_template": r.Rule(manage, ("GET", "POST")),
            }
        )
