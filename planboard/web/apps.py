from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "planboard.web"
    verbose_name = "Web"
