from django.apps import AppConfig


class CentreConfig(AppConfig):
    """The enterprise-service centre of 黄岛区 (issue 13): space, enterprises, joint attraction, service."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "gongzhi.centre"
    label = "centre"

    def ready(self) -> None:
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
