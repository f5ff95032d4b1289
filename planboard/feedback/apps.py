from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "planboard.feedback"
    verbose_name = "Feedback"
