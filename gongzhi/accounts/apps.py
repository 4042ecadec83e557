from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongzhi.accounts"
    label = "accounts"

    def ready(self) -> None:
        from gongzhi.accounts import access, audit, events
        from gongzhi.accounts.roles import Action, Role, grant
        from gongzhi.core import navgroups as g
        from gongzhi.core import registry as r

        r.install_access(access)  # core's scoped bases (api, admin) ask through this hook
        events.connect()
        audit.seal_logs()
        r.register_actions(
            self.label,
            grant(Action.SETTINGS_EDIT, Role.DISTRICT_ADMIN, Role.SYSTEM_ADMIN),
            grant(Action.USERS_MANAGE, Role.DISTRICT_ADMIN, Role.SUBDISTRICT_STAFF, Role.SYSTEM_ADMIN),
            grant(Action.SECURITY_MANAGE, Role.SECURITY_ADMIN),
            # Reading logs changes nothing; the audit roles get no other action (accounts/duties.py).
            grant(Action.AUDIT_VIEW, Role.AUDIT_ADMIN, Role.AUDIT_READER),
        )
        r.register_nav(
            r.NavEntry(_("用户管理"), "accounts:users", (Action.USERS_MANAGE,), 50, g.SYSTEM),
            r.NavEntry(_("登录日志"), "accounts:login_log", (Action.AUDIT_VIEW,), 60, g.SYSTEM),
            r.NavEntry(_("账号安全"), "accounts:security_admin", (Action.SECURITY_MANAGE,), 61, g.SYSTEM),
        )
        manage = Action.USERS_MANAGE
        own, both = r.SIGNED_IN, ("GET", "POST")
        r.register_rules(
            {
                "accounts:login": r.PUBLIC,
                "accounts:logout": r.Rule(r.PUBLIC, ("POST",)),
                # Accounts are personal data: without users.manage the pages answer 404, not 403.
                "accounts:users": r.Rule(manage, conceal=True),
                "accounts:user_add": r.Rule(manage, both, conceal=True),
                "accounts:user_detail": r.Rule(manage, both, conceal=True),
                "accounts:user_toggle_active": r.Rule(manage, ("POST",), conceal=True),
                "accounts:role_revoke": r.Rule(manage, ("POST",), conceal=True),
                # The signed-in user's own security: password, second factor, sessions and tokens.
                "accounts:security": own,
                "accounts:password_change": r.Rule(own, both),
                "accounts:otp": r.Rule(own, both),
                "accounts:session_end": r.Rule(r.OWN, ("POST",)),
                "accounts:token_end": r.Rule(r.OWN, ("POST",)),
                "accounts:login_log": Action.AUDIT_VIEW,
                "accounts:security_admin": r.Rule(Action.SECURITY_MANAGE, conceal=True),
                "accounts:throttle_clear": r.Rule(Action.SECURITY_MANAGE, ("POST",), conceal=True),
                "accounts:otp_reset": r.Rule(Action.SECURITY_MANAGE, ("POST",), conceal=True),
                "history": Action.AUDIT_VIEW,
                "api-token": r.Rule(r.PUBLIC, ("POST",)),
                "api-token-rotate": r.Rule(r.SIGNED_IN, ("POST",)),
            }
        )
