from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "dondoc.api"
    label = "api"

    def ready(self):
        from . import cache

        cache.connect_signals()  # the task list's response cache: writes raise its data version
