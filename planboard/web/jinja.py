"""The Jinja2 environment: our templates, the NHS.UK frontend macros and a few helpers.

Django's Jinja2 backend already puts ``request``, ``csrf_input`` and ``csrf_token``
in every template's context.
"""

from django.contrib.staticfiles.storage import staticfiles_storage
from django.urls import reverse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader


def url(name, *args, **kwargs):
    """Reverse a URL by name, as Django's ``{% url %}`` does."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options):
    options["loader"] = ChoiceLoader([options["loader"], PackageLoader("nhsuk_frontend_jinja")])
    options["undefined"] = ChainableUndefined
    env = Environment(**options)  # noqa: S701 - Django's backend sets autoescape
    env.globals.update({"static": staticfiles_storage.url, "url": url})
    return env
