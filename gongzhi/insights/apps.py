from django.apps import AppConfig


class InsightsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongzhi.insights"
    label = "insights"

    def ready(self) -> None:
        from gongzhi.accounts.roles import Action
        from gongzhi.core import navgroups as g
        from gongzhi.core import registry as r

        # The API documentation, in the navigation of the roles that use the API (staff who import and
        # export); residents, owners and party members never see it.
        r.register_nav(
            r.NavEntry("API", "swagger-ui", (Action.LEDGER_IMPORT, Action.USERS_MANAGE), 90, g.SYSTEM)
        )
        # The indicator views declare their action themselves (gongzhi.core.registry.requires).
        r.register_rules(
            {
                "api-root": r.SIGNED_IN,
                "schema": r.PUBLIC,  # the API's description, no data
                "swagger-ui": r.Rule(
                    Action.LEDGER_IMPORT, any_of=(Action.LEDGER_IMPORT, Action.USERS_MANAGE)
                ),
            }
        )
