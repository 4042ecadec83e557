from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: backup and restore (docs/operations.md). No models, no pages."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "gongzhi.ops"
    label = "ops"
