from django.apps import AppConfig


class PlacesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongzhi.places"
    label = "places"

    def ready(self) -> None:
        from gongzhi.core import lookups  # noqa: F401  (registers the `under` lookup)
