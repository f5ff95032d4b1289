from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "planboard.public"
    verbose_name = "Public page"
