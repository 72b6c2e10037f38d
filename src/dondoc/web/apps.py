from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "dondoc.web"
    label = "web"
    verbose_name = "Giao diện web"
    default_auto_field = "django.db.models.BigAutoField"
