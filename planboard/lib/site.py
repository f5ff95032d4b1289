"""Absolute links to planboard's pages, built from the configured site address.

A link that outlives the request that made it must not be built from that request's
Host header, which the client chooses: an e-mail is read later, and the public JSON
is cached and served to everyone, so a link built from the first visitor's Host would
be shown to every visitor after. ``SITE_URL`` names the address people reach
planboard at; every absolute link is that address and the page's path.
"""

from django.conf import settings
from django.urls import reverse


def site_link(name: str, **kwargs) -> str:
    """The absolute address of the page named ``name``: SITE_URL and its path."""
    base = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return f"{base}{reverse(name, kwargs=kwargs or None)}"
