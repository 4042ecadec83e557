from django.apps import AppConfig


class DemoConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongzhi.demo"
    label = "demo"
    verbose_name = "Demo data generator"
