from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongzhi.accounts"
    label = "accounts"

    def ready(self) -> None:
        from gongzhi.accounts import access
        from gongzhi.accounts.roles import Action, Role, grant
        from gongzhi.core import registry as r

        r.install_access(access)  # core's scoped bases (api, admin) ask through this hook
        r.register_actions(
            self.label,
            grant(Action.SETTINGS_EDIT, Role.DISTRICT_ADMIN),
            grant(Action.USERS_MANAGE, Role.DISTRICT_ADMIN, Role.SUBDISTRICT_STAFF),
        )
        r.register_nav(r.NavEntry(_("用户管理"), "accounts:users", (Action.USERS_MANAGE,), 50))
        manage = Action.USERS_MANAGE
        r.register_rules(
            {
                "accounts:login": r.PUBLIC,
                "accounts:logout": r.Rule(r.PUBLIC, ("POST",)),
                # Accounts are personal data: without users.manage the pages answer 404, not 403.
                "accounts:users": r.Rule(manage, conceal=True),
                "accounts:user_add": r.Rule(manage, ("GET", "POST"), conceal=True),
                "accounts:user_detail": r.Rule(manage, ("GET", "POST"), conceal=True),
                "accounts:user_toggle_active": r.Rule(manage, ("POST",), conceal=True),
                "accounts:role_revoke": r.Rule(manage, ("POST",), conceal=True),
                "api-token": r.Rule(r.PUBLIC, ("POST",)),
            }
        )
