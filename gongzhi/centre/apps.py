from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class CentreConfig(AppConfig):
    """The enterprise-service centre of 黄岛区 (issue 13): space, enterprises, joint attraction, service."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "gongzhi.centre"
    label = "centre"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        # SQLite drops a table's triggers when a migration rebuilds it: put the pipeline's back every time.
        post_migrate.connect(_install_triggers, sender=self, dispatch_uid="centre_pipeline_triggers")

        from gongzhi.core.reference import register_reference

        register_reference(
            self.label,
            "gongzhi.centre.migrations.0002_vocabularies:load",
            "Industry",
            "Stage",
            "WorkCalendar",
        )  # put back after a flush
        from gongzhi.centre.grants import register

        register(self.label)


def _install_triggers(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """The pipeline summary's triggers (centre/triggers.py), once its table exists; idempotent."""
    from django.db import connections

    from gongzhi.centre import triggers

    conn = connections[using]
    if "centre_pipelinesummary" in conn.introspection.table_names():
        triggers.install(conn)
