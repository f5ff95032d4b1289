"""A strategy's own RAG scale on planboard's pages: its levels only, version-checked,
in the history, and a level in use cannot be deleted."""

import pytest
from django.urls import reverse

from planboard.plans.models import Action, RagLevel
from planboard.plans.rag import create_scale
from tests.bounds import database_fingerprint
from tests.builders import make_strategy
from tests.web.pages import errors, form_data


def level_url(name, plan, level=None):
    kwargs = {"slug": plan.strategy.slug}
    if level is not None:
        kwargs["pk"] = level.pk
    return reverse(name, kwargs=kwargs)


def levels(plan):
    return {level.label: level for level in plan.strategy.rag_levels.all()}


@pytest.fixture
def other_strategy(db):
    other = make_strategy(slug="other", title="Another strategy")
    create_scale(other, [{"label": "Purple"}, {"label": "Teal"}])
    return other


def test_the_scale_page_shows_only_this_strategys_levels(
    client_for, governor, small_plan, other_strategy, django_assert_max_num_queries
):
    client = client_for(governor)
    with django_assert_max_num_queries(10):
        text = client.get(level_url("rag_scale", small_plan)).text
    for level in small_plan.strategy.rag_levels.all():
        assert level_url("edit_rag_level", small_plan, level) in text
    assert "Purple" not in text and "Teal" not in text
    for level in other_strategy.rag_levels.all():
        address = reverse("edit_rag_level", kwargs={"slug": "demo", "pk": level.pk})
        assert client.get(address).status_code == 404


@pytest.mark.parametrize("who", ["lead", "board_member"])
def test_only_the_governance_team_may_change_the_scale(request, client_for, small_plan, who):
    client = client_for(request.getfixturevalue(who))
    amber = levels(small_plan)["Amber"]
    before = database_fingerprint()
    assert client.get(level_url("rag_scale", small_plan)).status_code == 403
    data = {"label": "Yellow", "colour": "yellow", "position": 4, "version": 1}
    assert client.post(level_url("add_rag_level", small_plan), data).status_code == 403
    assert client.post(level_url("edit_rag_level", small_plan, amber), data).status_code == 403
    delete = level_url("delete_rag_level", small_plan, amber)
    assert client.post(delete, {"version": 1}).status_code == 403
    assert database_fingerprint() == before


def test_an_alias_resolves_ratings_and_is_in_the_history(client_for, governor, small_plan):
    client = client_for(governor)
    amber = levels(small_plan)["Amber"]
    address = level_url("edit_rag_level", small_plan, amber)
    data = form_data(client.get(address).text)
    assert (data["label"], data["colour"], data["version"]) == ("Amber", "orange", "1")
    data["aliases"] = "Yellow\nA"
    assert client.post(address, data).status_code == 302
    amber.refresh_from_db()
    assert (amber.aliases, amber.version) == (["Yellow", "A"], 2)
    assert Action.objects.get(pk=small_plan.mapping.pk).rag_level == amber
    latest = amber.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (governor, "RAG level changed")


def test_a_level_saved_by_someone_else_first_is_not_overwritten(client_for, governor, small_plan):
    mine, theirs = client_for(governor), client_for(governor)
    amber = levels(small_plan)["Amber"]
    address = level_url("edit_rag_level", small_plan, amber)
    opened = form_data(mine.get(address).text)
    assert theirs.post(address, {**opened, "definition": "Theirs."}).status_code == 302
    response = mine.post(address, {**opened, "definition": "Mine."})
    assert response.status_code == 409
    assert "What is saved now" in response.text and "Theirs." in response.text
    amber.refresh_from_db()
    assert amber.definition == "Theirs."


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"aliases": "Green"}, "aliases", 'The alias "Green" already means the level Green.'),
        ({"aliases": "gReen "}, "aliases", 'The alias "gReen" already means the level Green.'),
        ({"label": "Red"}, "label", '"Red" already means the level Red.'),
        ({"label": " "}, "label", "Enter the level's label."),
        ({"colour": "mauve"}, "colour", "Choose the level's colour from the list."),
        ({"position": "first"}, "position", "whole number"),
    ],
)
def test_bad_input_is_refused_on_its_field(
    client_for, governor, small_plan, change, field, message
):
    client = client_for(governor)
    address = level_url("edit_rag_level", small_plan, levels(small_plan)["Amber"])
    data = {**form_data(client.get(address).text), **change}
    before = database_fingerprint()
    response = client.post(address, data)
    assert response.status_code == 400
    summary, inline = errors(response.text)
    assert any(href == f"#{field}" and message in text for href, text in summary), summary
    assert database_fingerprint() == before


def test_a_level_in_use_cannot_be_deleted(client_for, governor, small_plan):
    client = client_for(governor)
    green = levels(small_plan)["Green"]
    page = client.get(level_url("edit_rag_level", small_plan, green)).text
    assert "Green is the rating of action 1.1, so it cannot be deleted." in page
    before = database_fingerprint()
    response = client.post(level_url("delete_rag_level", small_plan, green), {"version": 1})
    assert response.status_code == 302
    assert (
        "Green is the rating of action 1.1, so it cannot be deleted."
        in client.get(response.url).text
    )
    assert database_fingerprint() == before


def test_a_new_level_can_be_added_and_deleted(client_for, governor, small_plan):
    client = client_for(governor)
    add = level_url("add_rag_level", small_plan)
    data = {**form_data(client.get(add).text), "label": "Blue", "colour": "blue"}
    data.update(aliases="Complete, Done", means_complete="on")
    assert client.post(add, data).status_code == 302
    blue = levels(small_plan)["Blue"]
    assert (blue.position, blue.means_complete, blue.aliases) == (4, True, ["Complete", "Done"])
    assert blue.history.latest().history_change_reason == "RAG level added"
    delete = level_url("delete_rag_level", small_plan, blue)
    assert client.post(delete, {"version": 1}).status_code == 302
    assert not RagLevel.objects.filter(pk=blue.pk).exists()
    gone = RagLevel.history.filter(id=blue.pk).latest()
    assert (gone.history_type, gone.history_user) == ("-", governor)
