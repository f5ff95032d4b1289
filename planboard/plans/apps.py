from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "planboard.plans"
    verbose_name = "Plans"

    def ready(self):
        from planboard.plans import signals  # noqa: F401
