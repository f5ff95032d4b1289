"""The admin shows the public texts and requests, but changes them only where it is safe."""

import pytest
from django.urls import reverse

from planboard.public.models import ActionPublication, InformationRequest
from tests.public.test_information_requests import GOOD


@pytest.fixture
def admin(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin"))
    return client


@pytest.mark.parametrize(
    "model",
    [
        "public_strategypublication",
        "public_themepublication",
        "public_actionpublication",
        "public_informationrequest",
    ],
)
def test_each_model_lists_in_the_admin_but_cannot_be_added_there(admin, published, model):
    assert admin.get(reverse(f"admin:{model}_changelist")).status_code == 200
    assert admin.get(reverse(f"admin:{model}_add")).status_code == 403


def test_a_public_text_is_read_only_in_the_admin(admin, published):
    record = ActionPublication.objects.filter(action__theme__strategy=published).first()
    url = reverse("admin:public_actionpublication_change", args=[record.pk])
    page = admin.get(url).content.decode()
    assert record.summary in page
    admin.post(url, {"summary": "Changed in the admin", "published": "on"})
    record.refresh_from_db()
    assert record.summary != "Changed in the admin"


def test_a_request_can_be_deleted_to_forget_someone(admin, published, client):
    admin.post("/public/sue/other-formats/", GOOD)
    request = InformationRequest.objects.get()
    url = reverse("admin:public_informationrequest_delete", args=[request.pk])
    assert admin.post(url, {"post": "yes"}).status_code == 302
    assert not InformationRequest.objects.exists()
