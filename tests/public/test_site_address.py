"""The public JSON names the configured site address, whoever asked for it first.

The feed is cached and served to every visitor, so its ``url`` must not come from the
Host header of the request that built it: a client chooses that header, and any name
ALLOWED_HOSTS lets through (a wildcard, an internal name) would otherwise be shown to
everyone after.
"""

import json

import pytest
from django.core.cache import cache

SITE = "https://planboard.trust.example"


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["*"]
    cache.clear()  # the first request below builds the feed
    yield SITE
    cache.clear()


def feed_url(client, host):
    response = client.get("/public/sue.json", HTTP_HOST=host)
    assert response.status_code == 200
    return json.loads(response.content)["strategy"]["url"]


def test_a_hostile_host_header_does_not_reach_the_cached_feed(client, published, site):
    first = feed_url(client, "attacker.example")
    then = feed_url(client, "planboard.trust.example")

    assert first == then == f"{SITE}/public/sue/"


def test_the_feed_names_the_site_address_when_built_for_an_ordinary_request(
    client, published, site
):
    assert feed_url(client, "planboard.trust.example") == f"{SITE}/public/sue/"
    assert feed_url(client, "attacker.example") == f"{SITE}/public/sue/"


def test_a_trailing_slash_in_the_site_address_makes_no_double_slash(
    client, published, site, settings
):
    settings.SITE_URL = SITE + "/"

    assert feed_url(client, "planboard.trust.example") == f"{SITE}/public/sue/"
