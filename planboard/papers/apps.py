from django.apps import AppConfig


class PapersConfig(AppConfig):
    name = "planboard.papers"
    verbose_name = "Papers"

    def ready(self):
        # Connects the receivers that keep a closing period's cover sheet and then ask
        # for its paper in every format (in this order: the files show the kept sheet).
        from planboard.papers import covers, generation  # noqa: F401
