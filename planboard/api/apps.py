from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "planboard.api"
    verbose_name = "API"
