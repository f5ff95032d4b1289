from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "planboard.people"
    verbose_name = "People"
