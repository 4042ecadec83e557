from django.apps import AppConfig


class InsightsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongzhi.insights"
    label = "insights"

    def ready(self) -> None:
        from gongzhi.core import registry as r

        # The indicator views declare their action themselves (gongzhi.core.registry.requires).
        r.register_rules(
            {
                "api-root": r.SIGNED_IN,
                "schema": r.PUBLIC,  # the API's description, no data
                "swagger-ui": r.PUBLIC,
            }
        )
