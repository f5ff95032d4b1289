"""The admin keeps the map of services through the services, with their refusals on the
field; items, responses and publications are only shown."""

import datetime

import pytest
from django.urls import reverse

from planboard.feedback.fft_models import FriendsAndFamilyCount
from planboard.feedback.models import FeedbackItem, Polarity, Service, ServiceCode, Source
from planboard.feedback.services import record_item, save_source_code
from tests.bounds import database_fingerprint
from tests.feedback.helpers import at, make_feedback_plan
from tests.shared import shared


@shared
def mapped(db):
    strategy, adults, ward, team, action = make_feedback_plan()
    save_source_code(ServiceCode(strategy=strategy, code="RXG1A", service=ward), user=None)
    record_item(
        strategy,
        user=None,
        source=Source.CARE_OPINION,
        source_id="5",
        title="Kind staff",
        text="Kind staff.",
        received_at=at(2017, 1, 2),
        staff_only={"criticality": "not critical"},
        services=[ward],
        tags=[("kindness", Polarity.POSITIVE)],
    )
    return strategy


@pytest.fixture
def admin(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin"))
    return client


def _service_form(strategy, **changes):
    return {"strategy": strategy.pk, "name": "Oak ward", "code": "", "kind": "service"} | changes


def test_a_service_added_in_the_admin_goes_through_the_service(mapped, admin):
    url = reverse("admin:feedback_service_add")
    before = database_fingerprint()
    refused = admin.post(url, _service_form(mapped, code="rxg1a"))
    assert refused.status_code == 200
    assert "The code RXG1A is already another service&#x27;s." in refused.content.decode()
    willow = Service.objects.get(name="Willow ward")
    cycle = admin.post(
        reverse("admin:feedback_service_change", args=[willow.parent_id]),
        _service_form(mapped, name="Adult services", kind="directorate", parent=willow.pk),
    )
    assert cycle.status_code == 200 and "cannot sit under itself" in cycle.content.decode()
    assert database_fingerprint() == before
    added = admin.post(url, _service_form(mapped, code="rxg30"))
    assert added.status_code == 302
    oak = Service.objects.get(name="Oak ward")
    assert oak.code == "RXG30" and oak.history.get().history_change_reason == "Service added"


def test_a_service_with_feedback_cannot_be_deleted_in_the_admin(mapped, admin):
    willow = Service.objects.get(name="Willow ward")
    url = reverse("admin:feedback_service_delete", args=[willow.pk])
    assert admin.post(url, {"post": "yes"}).status_code == 403
    assert Service.objects.filter(pk=willow.pk).exists()


def test_a_mapped_code_is_checked_in_the_admin(mapped, admin):
    crisis = Service.objects.get(name="Crisis team")
    url = reverse("admin:feedback_servicecode_add")
    refused = admin.post(url, {"strategy": mapped.pk, "code": "RXG10", "service": crisis.pk})
    assert refused.status_code == 200 and "already another service" in refused.content.decode()
    added = admin.post(url, {"strategy": mapped.pk, "code": "x9", "service": crisis.pk})
    assert added.status_code == 302
    assert ServiceCode.objects.get(code="X9").service == crisis


def test_items_are_shown_with_their_tags_and_not_changed(mapped, admin):
    item = FeedbackItem.objects.get(strategy=mapped)
    assert admin.get(reverse("admin:feedback_feedbackitem_changelist")).status_code == 200
    url = reverse("admin:feedback_feedbackitem_change", args=[item.pk])
    page = admin.get(url).content.decode()
    assert "kindness (What was good)" in page
    assert admin.post(url, {"title": "Changed"}).status_code == 403
    assert admin.get(reverse("admin:feedback_feedbackitem_add")).status_code == 403


def test_friends_and_family_counts_are_shown_and_not_changed(mapped, admin):
    count = FriendsAndFamilyCount.objects.create(
        strategy=mapped, code="RXG77", name="Birch ward", month=datetime.date(2017, 1, 1), good=7
    )
    listed = admin.get(reverse("admin:feedback_friendsandfamilycount_changelist"))
    assert listed.status_code == 200 and "Birch ward" in listed.content.decode()
    url = reverse("admin:feedback_friendsandfamilycount_change", args=[count.pk])
    assert admin.get(url).status_code == 200
    assert admin.post(url, {"good": "70"}).status_code == 403
    count.refresh_from_db()
    assert count.good == 7
