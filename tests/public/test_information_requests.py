"""Asking for another format: the form, its errors, and governance answering."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from planboard.public.models import InformationRequest
from tests.progress.cycle import board_member

GOOD = {"format": "large_print", "name": "Sam Carer", "contact": "07700 900123", "details": ""}


def test_a_request_is_recorded_and_thanked_for(client, published):
    response = client.post("/public/sue/other-formats/", GOOD)
    assert response.status_code == 302
    assert response["Location"] == "/public/sue/other-formats/sent/"
    request = InformationRequest.objects.get()
    assert (request.strategy, request.format, request.name) == (
        published,
        "large_print",
        "Sam Carer",
    )
    assert request.answered_at is None
    assert "Request sent" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"format": ""}, "format", "Choose the format you need"),
        ({"format": "smoke signals"}, "format", "Choose one of the formats listed"),
        ({"format": "language", "language": " "}, "language", "Enter the language you need"),
        ({"name": ""}, "name", "Enter your name"),
        ({"contact": "  "}, "contact", "Enter an email address, phone number or postal address"),
        ({"details": "x" * 2001}, "details", "What you need must be 2000 characters or fewer"),
    ],
)
def test_a_bad_request_says_what_to_fix_and_keeps_what_was_typed(
    client, published, change, field, message
):
    response = client.post("/public/sue/other-formats/", {**GOOD, **change})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert f'href="#{field}"' in page  # the error summary links to the field
    assert page.count(message) == 2  # in the summary and beside the field
    assert "Sam Carer" in page or field == "name"
    assert not InformationRequest.objects.exists()


def test_one_address_may_send_only_so_many_requests_an_hour(client, published, settings):
    settings.PUBLIC_REQUESTS_PER_HOUR = 3
    for _ in range(3):
        assert client.post("/public/sue/other-formats/", GOOD).status_code == 302
    mine = {**GOOD, "details": "The second quarter, please."}
    response = client.post("/public/sue/other-formats/", mine)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Error: " in page and "Too many requests have been sent from your connection" in page
    assert "The second quarter, please." in page  # what was typed is kept
    assert InformationRequest.objects.count() == 3
    # Another address, and the same one in the next hour, may still send.
    other = client.post("/public/sue/other-formats/", mine, REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 302
    later = timezone.now() + datetime.timedelta(hours=1)
    with mock.patch("planboard.public.throttle.timezone.now", return_value=later):
        assert client.post("/public/sue/other-formats/", mine).status_code == 302
    assert InformationRequest.objects.count() == 5


def test_requests_sent_back_with_a_mistake_are_not_counted(client, published, settings):
    settings.PUBLIC_REQUESTS_PER_HOUR = 1
    for _ in range(3):
        assert client.post("/public/sue/other-formats/", {**GOOD, "name": ""}).status_code == 400
    assert client.post("/public/sue/other-formats/", GOOD).status_code == 302


def test_a_language_is_kept_only_for_another_language(client, published):
    client.post("/public/sue/other-formats/", {**GOOD, "format": "language", "language": "Urdu"})
    client.post("/public/sue/other-formats/", {**GOOD, "language": "Polish"})
    kept = sorted(InformationRequest.objects.values_list("format", "language"))
    assert kept == [("language", "Urdu"), ("large_print", "")]


def test_governance_sees_requests_and_marks_them_answered(client, published, editor):
    client.post("/public/sue/other-formats/", GOOD)
    request = InformationRequest.objects.get()
    client.force_login(editor)
    page = client.get("/strategies/sue/public/requests/").content.decode()
    assert "Large print for Sam Carer" in page and "07700 900123" in page
    assert "Waiting for an answer (1)" in page
    response = client.post(f"/strategies/sue/public/requests/{request.pk}/answered/")
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.answered_at is not None and request.answered_by == editor
    assert "Answered (1)" in client.get("/strategies/sue/public/requests/").content.decode()


def test_only_governance_sees_requests(client, published):
    client.post("/public/sue/other-formats/", GOOD)
    client.force_login(board_member())
    assert client.get("/strategies/sue/public/requests/").status_code == 403
    request = InformationRequest.objects.get()
    assert client.post(f"/strategies/sue/public/requests/{request.pk}/answered/").status_code == 403
    request.refresh_from_db()
    assert request.answered_at is None


def test_signed_out_people_cannot_see_requests(client, published):
    response = client.get("/strategies/sue/public/requests/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
