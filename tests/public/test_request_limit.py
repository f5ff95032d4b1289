"""The hourly limit on requests for another format is counted in the database, so every
worker and server counts together (tests/ops/test_limits_served.py shows it with two
gunicorn workers)."""

import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone

from planboard.public import throttle
from planboard.public.models import InformationRequest, RequestCount
from planboard.public.requests import TooManyRequests, send_request

FORM = "/public/sue/other-formats/"
GOOD = {"format": "large_print", "name": "Sam Carer", "contact": "07700 900123", "details": ""}


def test_the_count_is_kept_in_the_database_not_in_a_workers_memory(client, published, settings):
    settings.PUBLIC_REQUESTS_PER_HOUR = 2
    for _ in range(2):
        assert client.post(FORM, GOOD).status_code == 302
    cache.clear()  # what another worker, with a cache of its own, would start from

    assert client.post(FORM, GOOD).status_code == 429
    assert InformationRequest.objects.count() == 2
    assert list(RequestCount.objects.values_list("requests", flat=True)) == [2]


def test_a_refused_request_does_not_count_again(client, published, settings):
    settings.PUBLIC_REQUESTS_PER_HOUR = 1
    assert client.post(FORM, GOOD).status_code == 302
    for _ in range(3):
        assert client.post(FORM, GOOD).status_code == 429

    assert RequestCount.objects.get().requests == 1


def test_the_address_is_kept_only_as_a_keyed_hash(client, published):
    client.post(FORM, GOOD, REMOTE_ADDR="198.51.100.7")

    kept = RequestCount.objects.get().address
    assert "198.51.100.7" not in kept and len(kept) == 64


def test_counts_of_past_hours_are_deleted_as_new_requests_come(client, published):
    client.post(FORM, GOOD, REMOTE_ADDR="198.51.100.7")
    later = timezone.now() + datetime.timedelta(hours=1)
    with mock.patch("planboard.public.throttle.timezone.now", return_value=later):
        client.post(FORM, GOOD, REMOTE_ADDR="203.0.113.9")

    (count,) = RequestCount.objects.all()
    assert count.hour == later.replace(minute=0, second=0, microsecond=0)


def test_the_service_refuses_an_address_past_the_limit(published, settings):
    settings.PUBLIC_REQUESTS_PER_HOUR = 1
    send_request(published, **GOOD, address="192.0.2.1")
    with pytest.raises(TooManyRequests, match="^Too many requests have been sent") as refusal:
        send_request(published, **GOOD, address="192.0.2.1")
    assert str(refusal.value) == throttle.TOO_MANY_REQUESTS
    # The command line and the admin give no address, and are not counted.
    send_request(published, **GOOD)
    assert InformationRequest.objects.count() == 2
