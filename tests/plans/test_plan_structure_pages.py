"""Themes, commitments and areas changed on planboard's pages: the governance team's only,
version-checked, kept in history with who and why, bad input refused naming its field."""

import pytest
from django.test import Client
from django.urls import reverse

from planboard.plans.models import Action, Area, Commitment, Theme
from planboard.plans.structure import change_area, change_commitment, change_theme
from planboard.public.content import public_plan
from planboard.public.publishing import save_strategy_publication
from tests.bounds import database_fingerprint
from tests.web.pages import errors, form_data

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name, **kwargs):
    return reverse(name, kwargs={"slug": "sue", **kwargs})


def opened(client, address, **changes) -> dict:
    response = client.get(address)
    assert response.status_code == 200, response.status_code
    data = form_data(response.text)
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_a_theme_is_added_with_the_next_free_number_and_its_history(plan):
    gail = signed_in(plan.gail)

    response = gail.post(url("add_theme"), opened(gail, url("add_theme"), title="  Reach  out "))

    assert response.status_code == 302
    theme = Theme.objects.get(strategy=plan.strategy, title="Reach out")
    assert theme.number == 2
    record = theme.history.get()
    assert (record.history_user, record.history_change_reason) == (
        plan.gail,
        "Theme added on planboard",
    )
    assert "Theme 2. Reach out is added." in gail.get(response.url).text


def test_renumbering_a_theme_changes_its_refs_and_keeps_updates_and_links(plan):
    gail = signed_in(plan.gail)
    address = url("edit_theme", number=1)
    updates_before = list(plan.review.updates.values_list("pk", flat=True))

    response = gail.post(address, opened(gail, address, number="4", title="Culture"))

    assert response.status_code == 302
    plan.theme.refresh_from_db()
    assert (plan.theme.number, plan.theme.title) == (4, "Culture")
    plan.review.refresh_from_db()
    assert plan.review.ref == "4.1"
    assert list(plan.review.updates.values_list("pk", flat=True)) == updates_before
    assert gail.get(reverse("action", kwargs={"slug": "sue", "ref": "4.1"})).status_code == 200
    reason = plan.theme.history.first().history_change_reason
    assert reason == "Theme changed on planboard (title, number)"


def test_a_theme_number_already_taken_is_refused_on_its_field(plan):
    gail = signed_in(plan.gail)
    gail.post(url("add_theme"), opened(gail, url("add_theme"), title="Second"))
    before = database_fingerprint()

    response = gail.post(
        url("edit_theme", number=1), opened(gail, url("edit_theme", number=1), number="2")
    )
    assert response.status_code == 400
    assert errors(response.text)[0] == [
        ("#number", "Theme 2 already exists: choose another number")
    ]
    response = gail.post(url("add_theme"), {"title": "", "number": "x"})
    assert response.status_code == 400
    assert errors(response.text)[0] == [("#title", "Enter the theme's title")]
    response = gail.post(url("add_theme"), {"title": "Third", "number": "0"})
    assert errors(response.text)[0] == [
        ("#number", "The number must be a whole number from 1 to 999")
    ]
    assert database_fingerprint() == before


def test_a_theme_saved_by_someone_else_meanwhile_is_not_overwritten(plan):
    gail = signed_in(plan.gail)
    address = url("edit_theme", number=1)
    data = opened(gail, address, title="Gail's title")
    change_theme(plan.theme, title="Jo's title", number=1, version=1, user=plan.gail)
    before = database_fingerprint()

    response = gail.post(address, data)

    assert response.status_code == 409
    assert database_fingerprint() == before
    assert "Your changes were not saved" in response.text
    assert "Jo&#39;s title" in response.text or "Jo's title" in response.text
    again = form_data(response.text)
    assert (again["title"], again["version"]) == ("Gail's title", "2")
    assert gail.post(address, again).status_code == 302
    assert Theme.objects.get(pk=plan.theme.pk).title == "Gail's title"


def test_only_the_governance_team_may_change_the_structure(plan):
    commitment = plan.theme.commitments.first()
    area = Area.objects.create(strategy=plan.strategy, name="SUSEG")
    addresses = [
        url("add_theme"),
        url("edit_theme", number=1),
        url("add_commitment", number=1),
        url("edit_commitment", ref=commitment.ref),
        url("add_area"),
        url("edit_area", pk=area.pk),
    ]
    clients = [signed_in(user) for user in (plan.mia, plan.bob)]
    before = database_fingerprint()
    for client in clients:
        for address in addresses:
            assert client.get(address).status_code == 403, address
            posted = client.post(address, {"title": "X", "text": "X", "name": "X", "version": "1"})
            assert posted.status_code == 403, address
        assert "Change theme 1" not in client.get(url("plan")).text
        assert "Change<span" not in client.get(url("commitments")).text
    assert database_fingerprint() == before


def test_commitments_are_added_renumbered_and_retired_with_a_reason(plan):
    gail = signed_in(plan.gail)
    response = gail.post(
        url("add_commitment", number=1),
        opened(gail, url("add_commitment", number=1), text="We will listen."),
    )
    assert response.status_code == 302
    added = Commitment.objects.get(text="We will listen.")
    assert added.ref == "1.3"

    address = url("edit_commitment", ref="1.3")
    response = gail.post(address, opened(gail, address, number="9", retired="on"))
    assert response.status_code == 400
    assert errors(response.text)[0] == [("#retired-reason", "Enter the reason for retiring it")]

    data = opened(gail, address, number="9", retired="on", retired_reason="Merged into 1.1")
    assert gail.post(address, data).status_code == 302
    added.refresh_from_db()
    assert (added.ref, added.is_retired, added.retired_reason) == ("1.9", True, "Merged into 1.1")
    record = added.history.first()
    assert record.history_user == plan.gail
    assert record.history_change_reason.startswith("Commitment changed on planboard (")
    plan_page = gail.get(url("plan")).text
    assert "We will listen." not in plan_page
    assert "Retired: Merged into 1.1" in gail.get(url("commitments")).text

    data = opened(gail, url("edit_commitment", ref="1.9"), retired=None)
    assert gail.post(url("edit_commitment", ref="1.9"), data).status_code == 302
    added.refresh_from_db()
    assert not added.is_retired and "We will listen." in gail.get(url("plan")).text


def test_a_commitment_saved_by_someone_else_meanwhile_shows_theirs(plan):
    gail = signed_in(plan.gail)
    commitment = plan.theme.commitments.first()
    address = url("edit_commitment", ref=commitment.ref)
    data = opened(gail, address, text="Mine.")
    change_commitment(commitment, text="Theirs.", number=1, version=1, user=plan.gail)

    response = gail.post(address, data)

    assert response.status_code == 409
    assert "Theirs." in response.text
    assert Commitment.objects.get(pk=commitment.pk).text == "Theirs."


def test_areas_are_added_and_renamed_and_a_taken_name_refused(plan):
    gail = signed_in(plan.gail)
    response = gail.post(url("add_area"), opened(gail, url("add_area"), name="SUSEG"))
    assert response.status_code == 302
    area = Area.objects.get(strategy=plan.strategy)
    assert area.history.get().history_user == plan.gail
    before = database_fingerprint()
    response = gail.post(url("add_area"), {"name": "suseg"})
    assert errors(response.text)[0] == [
        ("#name", "There is already an area called suseg: choose another name")
    ]
    assert database_fingerprint() == before

    address = url("edit_area", pk=area.pk)
    data = opened(gail, address, name="Quality Improvement Team")
    change_area(area, name="QIT", version=1, user=plan.gail)
    assert gail.post(address, data).status_code == 409
    assert gail.post(address, form_data(gail.post(address, data).text)).status_code == 302
    assert Area.objects.get(pk=area.pk).name == "Quality Improvement Team"
    assert "Quality Improvement Team" in gail.get(url("plan")).text


def test_the_public_page_shows_no_unpublished_action_after_structure_changes(plan):
    save_strategy_publication(
        plan.strategy, published=True, summary="In plain words.", version=0, user=plan.gail
    )
    shown = public_plan(plan.strategy)
    gail = signed_in(plan.gail)
    gail.post(url("add_area"), {"name": "New area"})

    assert public_plan(plan.strategy) == shown
    assert not Action.objects.filter(publication__published=True).exists()
