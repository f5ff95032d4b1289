"""The ``<ref:...>`` URL converter, which the web app's and the public page's URLs both use.

Django keeps converters in one registry for the whole site, so the converter is
registered here, once, when either app's URLs import this module.
"""

from django.urls import register_converter


class ActionRefConverter:
    """An action's ref as the paper writes it, "1.11": theme number, then row number."""

    regex = r"[0-9]{1,4}\.[0-9]{1,4}"

    def to_python(self, value):
        theme, number = value.split(".")
        return int(theme), int(number)

    def to_url(self, value):
        if isinstance(value, tuple):
            return "{}.{}".format(*value)
        return str(value)


register_converter(ActionRefConverter, "ref")
