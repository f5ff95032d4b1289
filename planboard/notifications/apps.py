from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "planboard.notifications"
    verbose_name = "Notifications"
