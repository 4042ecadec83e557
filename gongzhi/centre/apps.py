from django.apps import AppConfig


class CentreConfig(AppConfig):
    """The enterprise-service centre of 黄岛区 (issue 13): space, enterprises, joint attraction, service."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "gongzhi.centre"
    label = "centre"

    def ready(self) -> None:
        from gongzhi.centre.grants import register

        register(self.label)
