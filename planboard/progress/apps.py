from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "planboard.progress"
    verbose_name = "Progress"
