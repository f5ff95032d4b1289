from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "planboard.web"
    verbose_name = "Web"

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        # Registers the deployment check that warns when the demo's day is set.
        from planboard.lib import clock  # noqa: F401
        from planboard.lib.history import dated_by_the_clock

        pre_create_historical_record.connect(dated_by_the_clock, dispatch_uid="dated_by_the_clock")
