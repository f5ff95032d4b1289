from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "planboard.public"
    verbose_name = "Public page"

    def ready(self):
        from planboard.public import wording  # noqa: F401 - keeps plan changes off until published
