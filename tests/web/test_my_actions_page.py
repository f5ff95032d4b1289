"""My actions: every action whose lead roles the signed-in person holds, and its update."""

import re

import pytest

from planboard.progress.services import return_update, submit_update
from tests.builders import make_action, make_person, make_role, make_strategy, make_theme

pytestmark = pytest.mark.django_db

ROW = re.compile(r'id="my-action-([a-z0-9-]+)-(\d+)-(\d+)"')


def shown(response):
    return [f"{slug}:{theme}.{number}" for slug, theme, number in ROW.findall(response.text)]


def row(response, slug, ref):
    start = response.text.index(f'id="my-action-{slug}-{ref.replace(".", "-")}"')
    return response.text[start : response.text.index("</tr>", start)]


def test_it_shows_exactly_the_actions_of_the_roles_the_lead_holds(client_for, lead, open_quarter):
    response = client_for(lead).get("/my-actions/")

    assert response.status_code == 200
    assert shown(response) == ["demo:1.1", "demo:1.2"]


def test_it_shows_actions_across_strategies_grouped_by_strategy(
    client_for, lead, open_quarter, small_plan
):
    other = make_strategy(slug="carers", title="Carers strategy")
    theme = make_theme(other)
    chair = make_role(other, "Carers Group Chair")
    make_person(other, "Mia Bajin", [chair], user=lead)
    make_action(theme, "Set up a carers' forum.", leads=[chair])
    make_action(theme, "Not Mia's.", leads=[make_role(other, "Finance")])

    response = client_for(lead).get("/my-actions/")

    assert shown(response) == ["carers:1.1", "demo:1.1", "demo:1.2"]
    text = response.text
    assert text.index("Carers strategy") < text.index("Demo engagement strategy")
    assert "No reporting period is open, so no update is due now." in text


def test_it_says_what_is_due_this_period(client_for, lead, open_quarter):
    text = client_for(lead).get("/my-actions/").text

    assert "2016/17 Q4" in text
    assert "are due by <strong>31 March 2017</strong>" in text
    assert "2 of 2 still to send" in text


def test_each_action_shows_the_status_of_its_update(
    client_for, lead, governor, open_quarter, small_plan
):
    submit_update(small_plan.review, user=lead, narrative="Meetings moved.")
    update = submit_update(small_plan.mapping, user=lead, narrative="Mapping half done.")
    return_update(update, user=governor, comment="Say which directorates.", expected_version=1)

    response = client_for(lead).get("/my-actions/")

    waiting, returned = row(response, "demo", "1.1"), row(response, "demo", "1.2")
    assert "Waiting for review" in waiting
    assert "Edit update" in waiting
    assert "Returned to you" in returned
    assert "Comment: Say which directorates." in returned
    assert 'href="/strategies/demo/actions/1.2/update/"' in returned


def test_an_action_without_an_update_links_to_the_form(client_for, lead, open_quarter):
    response = client_for(lead).get("/my-actions/")

    first = row(response, "demo", "1.1")
    # No update given yet is not the action's status "Not started".
    assert "No update yet" in first and "Not started" not in first
    assert 'href="/strategies/demo/actions/1.1/update/"' in first
    assert "Give update" in first


def test_an_accepted_update_links_to_the_action(
    client_for, lead, governor, open_quarter, small_plan
):
    from planboard.progress.services import accept_update

    update = submit_update(small_plan.review, user=lead, narrative="Meetings moved.")
    accept_update(update, user=governor, expected_version=update.version)

    first = row(client_for(lead).get("/my-actions/"), "demo", "1.1")

    assert "Accepted" in first
    assert "/update/" not in first
    assert 'href="/strategies/demo/actions/1.1/"' in first


def test_the_header_links_to_my_actions_for_leads_only(client_for, lead, board_member):
    assert 'href="/my-actions/"' in client_for(lead).get("/").text
    assert 'href="/my-actions/"' not in client_for(board_member).get("/").text


def test_someone_who_leads_nothing_is_told_why(client_for, board_member):
    text = client_for(board_member).get("/my-actions/").text

    assert "You do not lead any actions." in text


def test_a_complete_action_owes_no_update(client_for, other_lead, open_quarter):
    response = client_for(other_lead).get("/my-actions/")

    assert shown(response) == ["demo:1.2", "demo:1.3"]
    assert "Complete: none due" in row(response, "demo", "1.3")
    assert "1 of 2 still to send" in response.text
