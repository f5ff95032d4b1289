"""The activity register and an activity's page: who may open each page of the part,
the register's filters against the map's cells, its search and paging, and each page
in a fixed number of queries."""

import datetime
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planboard.engagement import mapping
from planboard.engagement.models import Activity, Kind, Level
from planboard.engagement.services import (
    publish_outcome,
    set_equality_counts,
    set_participation,
)
from planboard.web.engagement_filters import EngagementFilterForm
from tests.builders import make_person
from tests.cast import board_member, governance, lead
from tests.engagement.helpers import add_activity, make_engagement_plan
from tests.shared import shared

D = datetime.date


@shared
def plan(db):
    strategy, places, commitments, actions = make_engagement_plan()
    c1, c2, c3 = commitments
    gail, bob = governance(), board_member()
    mia, jane = lead(strategy, [], "mia"), lead(strategy, [], "jane")
    sunrise = add_activity(
        strategy,
        "SUNRISE group",
        kind=Kind.STANDING_GROUP,
        level=Level.INVOLVE,
        starts_on=D(2016, 4, 5),
        ongoing=True,
        services=[places["maple"], places["home"]],
        commitments=[c1],
        lead=mia.people.get(),
        purpose="A forum for the wards.",
    )
    set_participation(sunrise, {"service_user": 6, "carer": 2}, user=None)
    set_equality_counts(sunrise, {("age", "18 to 25"): 3, ("age", "26 to 40"): 5}, user=None)
    day = add_activity(
        strategy,
        "Co-design day",
        kind=Kind.COPRODUCTION,
        level=Level.COPRODUCE,
        starts_on=D(2017, 1, 10),
        ends_on=D(2017, 1, 10),
        services=[places["maple"]],
        actions=[actions[0]],
        outcome="The menus were rewritten.",
    )
    set_participation(day, {"service_user": 4}, user=None)
    publish_outcome(day, user=None, text="The ward menus were rewritten with patients.")
    add_activity(
        strategy,
        "Ward survey",
        kind=Kind.SURVEY,
        level=Level.INFORM,
        starts_on=D(2017, 2, 1),
        ends_on=D(2017, 5, 15),
        services=[places["acute"], places["maple"]],
        commitments=[c1, c2],
        outcome="Visiting hours changed.",
        fed_back_on=D(2017, 6, 1),
        fed_back_how="A newsletter",
    )
    add_activity(
        strategy,
        "Annual meeting",
        level=Level.INFORM,
        starts_on=D(2016, 9, 1),
        ends_on=D(2016, 9, 1),
        commitments=[c3],
    )
    add_activity(
        strategy,
        "Pharmacy panel",
        kind=Kind.RECRUITMENT,
        level=Level.COLLABORATE,
        starts_on=D(2016, 11, 2),
        services=[places["pharmacy"]],
        commitments=[c2],
        purpose="Choosing the chief pharmacist.",
    )
    other, _, _, _ = make_engagement_plan(slug="other")
    elsewhere = add_activity(other, "Elsewhere")
    return {
        "strategy": strategy,
        "places": places,
        "commitments": commitments,
        "sunrise": sunrise,
        "day": day,
        "elsewhere": elsewhere,
        "users": {"gail": gail, "mia": mia, "jane": jane, "bob": bob},
    }


def _url(name, **kwargs):
    return reverse(name, kwargs={"slug": "eng", **kwargs})


def _titles(response) -> list[str]:
    """The activities the register lists, in order."""
    body = response.content.decode()
    return re.findall(r'<a href="/strategies/eng/engagement/activities/\d+/">([^<]+)</a>', body)


# Who may open each page: governance, the activity's lead, another lead, a board member.
OPEN_TO = {
    "engagement_activities": {"gail", "mia", "jane", "bob"},
    "engagement_activity": {"gail", "mia", "jane", "bob"},
    "engagement_activity_add": {"gail"},
    "engagement_activity_edit": {"gail", "mia"},
    "engagement_participation": {"gail", "mia"},
    "engagement_outcome": {"gail", "mia"},
    "engagement_not_fed_back": {"gail"},
}
ABOUT_AN_ACTIVITY = {
    "engagement_activity",
    "engagement_activity_edit",
    "engagement_participation",
    "engagement_outcome",
}


@pytest.mark.parametrize("name", sorted(OPEN_TO))
def test_each_page_is_open_to_its_circle_only(plan, client, name):
    kwargs = {"pk": plan["sunrise"].pk} if name in ABOUT_AN_ACTIVITY else {}
    for username, user in plan["users"].items():
        client.force_login(user)
        response = client.get(_url(name, **kwargs))
        expected = 200 if username in OPEN_TO[name] else 403
        assert response.status_code == expected, (name, username)
        if expected == 403 and name in ABOUT_AN_ACTIVITY | {"engagement_activity_add"}:
            # Nor may they post to it.
            assert client.post(_url(name, **kwargs), {"title": "Taken"}).status_code == 403


@pytest.mark.parametrize("name", sorted(ABOUT_AN_ACTIVITY))
def test_another_strategys_activity_is_not_found(plan, client, name):
    client.force_login(plan["users"]["gail"])
    assert client.get(_url(name, pk=plan["elsewhere"].pk)).status_code == 404


def test_the_register_lists_newest_first_with_each_activitys_facts(plan, client):
    client.force_login(plan["users"]["bob"])
    response = client.get(_url("engagement_activities"))
    assert _titles(response) == [
        "Ward survey",
        "Co-design day",
        "Pharmacy panel",
        "Annual meeting",
        "SUNRISE group",
    ]
    body = response.content.decode()
    assert '<strong class="nhsuk-tag nhsuk-tag--purple">Co-produce</strong>' in body
    assert "Fed back 1 June 2017" in body and "Not fed back" in body
    assert "Across the trust" in body  # the annual meeting names no service
    assert "Add an activity" not in body  # the governance team's button
    client.force_login(plan["users"]["gail"])
    assert "Add an activity" in client.get(_url("engagement_activities")).content.decode()


def test_the_register_counts_everyone_who_took_part(plan, client):
    client.force_login(plan["users"]["bob"])
    body = client.get(_url("engagement_activities"), {"q": "SUNRISE"}).content.decode()
    assert re.search(r">\s*8\s*</td>", body)


def test_search_looks_in_titles_purposes_and_outcomes(plan, client):
    client.force_login(plan["users"]["bob"])
    for words, expected in (
        ("pharmacist", ["Pharmacy panel"]),
        ("menus", ["Co-design day"]),
        ("ward", ["Ward survey", "SUNRISE group"]),
        ("visiting HOURS", ["Ward survey"]),
        ("nothing like this", []),
    ):
        assert _titles(client.get(_url("engagement_activities"), {"q": words})) == expected


def test_a_directorate_counts_the_services_under_it(plan, client):
    client.force_login(plan["users"]["bob"])
    places = plan["places"]
    cases = (
        (places["acute"].pk, ["Ward survey", "Co-design day", "SUNRISE group"]),
        (places["community"].pk, ["SUNRISE group"]),
        (places["pharmacy"].pk, ["Pharmacy panel"]),
        ("trust", ["Annual meeting"]),
    )
    for directorate, expected in cases:
        response = client.get(_url("engagement_activities"), {"directorate": directorate})
        assert _titles(response) == expected, directorate


def test_a_commitment_counts_the_activities_serving_it_through_actions(plan, client):
    client.force_login(plan["users"]["bob"])
    c1, c2, c3 = plan["commitments"]
    for commitment, expected in (
        (c1, ["Ward survey", "SUNRISE group"]),
        (c2, ["Ward survey", "Co-design day", "Pharmacy panel"]),  # the day through action 1
        (c3, ["Annual meeting"]),
    ):
        response = client.get(_url("engagement_activities"), {"commitment": commitment.pk})
        assert _titles(response) == expected


def _cell_titles(client, query) -> set[str]:
    return set(_titles(client.get(_url("engagement_activities"), query)))


def test_each_cell_of_the_map_links_to_exactly_its_activities(plan, client):
    """Hand-worked: Acute x 1.2 holds the co-design day (through action 1) and the ward
    survey; then every cell, filtered or not, lists what the map counts in it."""
    client.force_login(plan["users"]["bob"])
    strategy, places = plan["strategy"], plan["places"]
    c1, c2, _ = plan["commitments"]
    grid = mapping.by_commitment(strategy)
    query = {"directorate": places["acute"].pk, "commitment": c2.pk}
    assert _cell_titles(client, query) == {"Co-design day", "Ward survey"}
    assert sorted(grid.cell(places["acute"].pk, c2.pk).activity_ids) == sorted(
        [plan["day"].pk, strategy.engagement_activities.get(title="Ward survey").pk]
    )
    names = dict(strategy.engagement_activities.values_list("pk", "title"))
    for filters in ({}, {"level": ["inform", "involve"]}, {"quarter": "2016/17 Q4"}):
        form = EngagementFilterForm(filters or None, strategy=strategy)
        grid = mapping.by_commitment(strategy, form.filters())
        for row in grid.rows:
            for column in grid.columns:
                query = {
                    **filters,
                    "directorate": "trust" if row.key is None else row.key,
                    "commitment": column.key,
                }
                expected = {names[pk] for pk in grid.cell(row.key, column.key).activity_ids}
                assert _cell_titles(client, query) == expected, (filters, row, column)


def test_a_quarter_cell_links_to_exactly_its_activities(plan, client):
    client.force_login(plan["users"]["bob"])
    strategy = plan["strategy"]
    names = dict(strategy.engagement_activities.values_list("pk", "title"))
    quarters = [mapping.quarter_line(2016, q) for q in (2, 3, 4)]
    grid = mapping.by_quarter(strategy, quarters=quarters)
    for row in grid.rows:
        for column in grid.columns:
            query = {"directorate": "trust" if row.key is None else row.key, "quarter": column.key}
            expected = {names[pk] for pk in grid.cell(row.key, column.key).activity_ids}
            assert _cell_titles(client, query) == expected, (row, column)


def test_a_wrong_filter_is_named_and_lists_everything(plan, client):
    client.force_login(plan["users"]["bob"])
    response = client.get(_url("engagement_activities"), {"directorate": "nowhere"})
    assert response.status_code == 400
    assert "Choose one of the choices given." in response.content.decode()
    assert len(_titles(response)) == 5


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_register_and_an_activity_take_a_fixed_number_of_queries(plan, client):
    client.force_login(plan["users"]["gail"])
    strategy, places, commitments = plan["strategy"], plan["places"], plan["commitments"]
    register = _url("engagement_activities") + "?level=inform&level=involve&level=coproduce"
    page = _url("engagement_activity", pk=plan["sunrise"].pk)
    small = _queries(client, register), _queries(client, page)
    for number in range(30):
        extra = add_activity(
            strategy,
            f"Drop-in {number}",
            level=Level.INVOLVE,
            starts_on=D(2017, 3, 1),
            services=[places["maple"], places["home"], places["pharmacy"]],
            commitments=commitments,
        )
        set_participation(extra, {"service_user": number + 1, "carer": 1}, user=None)
    plan["sunrise"].services.add(places["pharmacy"], places["acute"])
    assert (_queries(client, register), _queries(client, page)) == small


def test_the_register_is_paged_fifty_at_a_time(plan, client):
    client.force_login(plan["users"]["bob"])
    for number in range(50):
        add_activity(plan["strategy"], f"Drop-in {number:02}", starts_on=D(2018, 1, 1))
    first = client.get(_url("engagement_activities"), {"kind": "event"})
    assert len(_titles(first)) == 50
    body = first.content.decode()
    assert 'aria-label="Pages of activities"' in body and "kind=event&amp;page=2" in body
    second = client.get(_url("engagement_activities"), {"kind": "event", "page": 2})
    assert _titles(second) == ["Annual meeting"]


def test_an_activitys_page_shows_what_it_is_who_took_part_and_what_it_changed(plan, client):
    client.force_login(plan["users"]["jane"])
    body = client.get(_url("engagement_activity", pk=plan["sunrise"].pk)).content.decode()
    assert "Standing group or forum" in body and "Involve</strong>" in body
    assert "Maple ward (in Acute)" in body and "Home treatment (in Community)" in body
    assert "Commitment 1.1" in body and "/strategies/eng/commitments/#commitment-1-1" in body
    assert "Mia" in body  # the lead, from the key
    assert "Carers" in body and "Service users" in body and re.search(r">\s*8\s*</td>", body)
    assert "18 to 25" in body and "Counts only" in body
    assert "Change the activity" not in body  # another lead
    assert "No outcome is recorded yet." in body
    day = client.get(_url("engagement_activity", pk=plan["day"].pk)).content.decode()
    assert 'href="/strategies/eng/actions/1.1/"' in day
    assert "Not yet fed back to those who took part." in day
    assert "The ward menus were rewritten with patients." in day  # published
    client.force_login(plan["users"]["mia"])
    mine = client.get(_url("engagement_activity", pk=plan["sunrise"].pk)).content.decode()
    for words in ("Change the activity", "Change who took part", "Change the outcome"):
        assert words in mine


def test_outcomes_not_fed_back_oldest_first(plan, client):
    client.force_login(plan["users"]["gail"])
    strategy = plan["strategy"]
    add_activity(
        strategy,
        "Older workshop",
        starts_on=D(2016, 5, 1),
        ends_on=D(2016, 5, 2),
        outcome="New leaflets.",
    )
    make_person(strategy, "Nobody")
    body = client.get(_url("engagement_not_fed_back")).content.decode()
    waiting, no_outcome = body.split("Ended over 30 days ago with no outcome")
    assert _titles_in(waiting) == ["Older workshop", "Co-design day"]
    # Ended over 30 days ago without an outcome; the ongoing group and the panel with no
    # end are left out, and so is the survey, fed back.
    assert _titles_in(no_outcome) == ["Annual meeting"]


def _titles_in(html: str) -> list[str]:
    return re.findall(r'<a href="/strategies/eng/engagement/activities/\d+/">([^<]+)</a>', html)


@shared
def bare(db):
    return make_engagement_plan(slug="bare")


links = st.lists(st.integers(min_value=0, max_value=4), max_size=3, unique=True)


@given(
    st.lists(
        st.tuples(links, st.lists(st.sampled_from([0, 1, 2]), unique=True), links),
        min_size=1,
        max_size=5,
    )
)
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_the_registers_directorate_and_commitment_are_the_maps_cells(bare, made):
    """Whatever services, commitments and actions the activities name, the register's
    directorate and commitment keep exactly the activities the map counts in the cell."""
    strategy, places, commitments, actions = bare
    services = list(places.values())
    with transaction.atomic():
        for number, (where, served, through) in enumerate(made):
            add_activity(
                strategy,
                f"Activity {number}",
                services=[services[i] for i in where],
                commitments=[commitments[i] for i in served],
                actions=[actions[i % 2] for i in through],
            )
        grid = mapping.by_commitment(strategy)
        mine = Activity.objects.filter(strategy=strategy)
        for row in grid.rows:
            for column in grid.columns:
                found = mapping.in_row(mapping.serving(mine, column.key), strategy, row.key)
                cell = grid.cell(row.key, column.key)
                assert sorted(found.values_list("pk", flat=True)) == sorted(cell.activity_ids)
        transaction.set_rollback(True)


def test_the_plans_pages_link_to_the_engagement_serving_them(plan, client):
    client.force_login(plan["users"]["bob"])
    c1, c2, c3 = plan["commitments"]
    action = _url("action", ref="1.1")
    commitments = _url("commitments")
    page = client.get(action).content.decode()
    assert "Engagement serving this action" in page
    assert f'href="/strategies/eng/engagement/activities/{plan["day"].pk}/">Co-design day' in page
    assert "nhsuk-tag--purple" in page and "Co-produce" in page
    assert "Engagement serving" not in client.get(_url("action", ref="1.2")).content.decode()
    listed = client.get(commitments).content.decode()
    for commitment, words in (
        (c1, "2 engagement activities serve"),
        (c2, "3 engagement activities serve"),
        (c3, "1 engagement activity serves"),
    ):
        assert f'?commitment={commitment.pk}">{words} this commitment' in listed
    counts = [_queries(client, action), _queries(client, commitments)]
    for number in range(5):
        add_activity(plan["strategy"], f"Drop-in {number}", actions=[plan["day"].actions.get()])
    assert [_queries(client, action), _queries(client, commitments)] == counts
