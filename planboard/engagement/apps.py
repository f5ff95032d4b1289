from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "planboard.engagement"
    verbose_name = "Engagement"
