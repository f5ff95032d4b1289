from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "planboard.imports"
    verbose_name = "Imports"
