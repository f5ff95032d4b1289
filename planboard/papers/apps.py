from django.apps import AppConfig


class PapersConfig(AppConfig):
    name = "planboard.papers"
    verbose_name = "Papers"
