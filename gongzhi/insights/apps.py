from typing import Any

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongzhi.insights"
    label = "insights"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_install_triggers, sender=self, dispatch_uid="insights_store_triggers")

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


def _install_triggers(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """The store's triggers on every watched table, after each migrate and flush (idempotent)."""
    from django.db import connections

    from gongzhi.insights.models import SourceChanges
    from gongzhi.insights.store import install

    conn = connections[using]
    if SourceChanges._meta.db_table in conn.introspection.table_names():
        install(conn)
