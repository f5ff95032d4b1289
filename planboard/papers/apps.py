from django.apps import AppConfig


class PapersConfig(AppConfig):
    name = "planboard.papers"
    verbose_name = "Papers"

    def ready(self):
        # Connects the receiver that keeps a closing period's cover sheet.
        from planboard.papers import covers  # noqa: F401
