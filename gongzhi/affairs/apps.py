from django.apps import AppConfig


class AffairsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongzhi.affairs"
    label = "affairs"
