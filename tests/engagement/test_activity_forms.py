"""The forms that add and change an activity, its participation and its outcome: each
refusal shown on its field with the database left as it was, and no one's save lost to
another's."""

import datetime

from django.test import Client
from django.urls import reverse

from planboard.engagement.models import Activity, Characteristic
from planboard.engagement.services import save_activity, set_participation
from tests.bounds import database_fingerprint
from tests.cast import board_member, governance, lead
from tests.engagement.helpers import add_activity, make_engagement_plan
from tests.shared import shared

D = datetime.date


@shared
def plan(db):
    strategy, places, commitments, actions = make_engagement_plan()
    gail, bob = governance(), board_member()
    mia, jane = lead(strategy, [], "mia"), lead(strategy, [], "jane")
    sunrise = add_activity(
        strategy,
        "SUNRISE group",
        starts_on=D(2016, 4, 5),
        services=[places["maple"]],
        lead=mia.people.get(),
        purpose="A forum for the wards.",
    )
    return {
        "strategy": strategy,
        "places": places,
        "commitments": commitments,
        "actions": actions,
        "sunrise": sunrise,
        "gail": gail,
        "mia": mia,
        "jane": jane,
        "bob": bob,
    }


def _url(name, **kwargs):
    return reverse(name, kwargs={"slug": "eng", **kwargs})


def _day(name, day: D) -> dict:
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}


def _typed(**changes) -> dict:
    typed = {
        "title": "Carers' workshop",
        "kind": "event",
        "level": "coproduce",
        "recurrence": "once",
        **_day("starts_on", D(2017, 3, 1)),
        **_day("ends_on", D(2017, 3, 2)),
        "purpose": "Shape the carers' leaflet.",
    }
    typed.update(changes)
    return {key: value for key, value in typed.items() if value is not None}


def test_the_governance_team_adds_an_activity_with_its_links(plan, client):
    client.force_login(plan["gail"])
    places, commitments, actions = plan["places"], plan["commitments"], plan["actions"]
    typed = _typed(
        services=[places["home"].pk, places["pharmacy"].pk],
        commitments=[commitments[2].pk],
        actions=[actions[1].pk],
        lead=plan["jane"].people.get().pk,
    )
    response = client.post(_url("engagement_activity_add"), typed)
    added = Activity.objects.get(title="Carers' workshop")
    assert response.status_code == 302 and response.url == _url("engagement_activity", pk=added.pk)
    assert (added.level, added.starts_on, added.ends_on) == (
        "coproduce",
        D(2017, 3, 1),
        D(2017, 3, 2),
    )
    assert set(added.services.all()) == {places["home"], places["pharmacy"]}
    assert list(added.commitments.all()) == [commitments[2]]
    assert list(added.actions.all()) == [actions[1]]
    assert added.lead.user == plan["jane"]
    assert added.history.first().history_user == plan["gail"]


def _refused(client, url, typed, field_id, message):
    before = database_fingerprint()
    response = client.post(url, typed)
    body = response.content.decode()
    assert response.status_code == 400, response.status_code
    assert "There is a problem" in body and message in body
    assert f'href="#{field_id}"' in body  # the error summary links to the field
    assert database_fingerprint() == before
    return body


def test_each_refusal_shows_on_its_field_and_writes_nothing(plan, client):
    client.force_login(plan["gail"])
    add = _url("engagement_activity_add")
    _refused(client, add, _typed(title=" "), "title", "Give the title.")
    _refused(
        client,
        add,
        _typed(**_day("ends_on", D(2017, 2, 1))),
        "ends-on-day",
        "The end is before the start.",
    )
    _refused(
        client,
        add,
        _typed(**{"starts_on-month": "13"}),
        "starts-on-month",
        "The start date must be a real date",
    )
    _refused(client, add, _typed(level="top"), "level", "Choose one of the choices given.")
    _refused(client, add, _typed(services=["999999"]), "services", "Choose from the list.")
    body = _refused(client, add, _typed(title="x" * 301), "title", "over 300 characters")
    assert "Shape the carers&#39; leaflet." in body  # what was typed is kept


def test_another_strategys_records_cannot_be_chosen(plan, client):
    client.force_login(plan["gail"])
    other, places, commitments, _ = make_engagement_plan(slug="other")
    typed = _typed(services=[places["acute"].pk], commitments=[commitments[0].pk])
    body = _refused(client, _url("engagement_activity_add"), typed, "services", "Choose from")
    assert "Carers&#39; workshop" in body


def test_the_lead_changes_their_activity(plan, client):
    client.force_login(plan["mia"])
    sunrise = plan["sunrise"]
    page = client.get(_url("engagement_activity_edit", pk=sunrise.pk)).content.decode()
    assert 'value="A forum for the wards."' in page or "A forum for the wards." in page
    typed = _typed(title="SUNRISE forum", version=sunrise.version, lead=sunrise.lead_id)
    response = client.post(_url("engagement_activity_edit", pk=sunrise.pk), typed)
    assert response.status_code == 302
    sunrise.refresh_from_db()
    assert (sunrise.title, sunrise.version) == ("SUNRISE forum", 2)
    assert not sunrise.services.exists()  # no box ticked: about no service


def test_another_lead_and_a_board_member_may_not_change_it(plan):
    sunrise = plan["sunrise"]
    clients = [Client(), Client()]
    for client, user in zip(clients, (plan["jane"], plan["bob"]), strict=True):
        client.force_login(user)
    before = database_fingerprint()
    for client in clients:
        for name in ("engagement_activity_edit", "engagement_outcome", "engagement_participation"):
            response = client.post(_url(name, pk=sunrise.pk), _typed(version=1, carer=4))
            assert response.status_code == 403, name
    assert database_fingerprint() == before


def test_a_stale_save_shows_the_conflict_and_keeps_what_was_typed(plan, client):
    sunrise = plan["sunrise"]
    opened = sunrise.version
    sunrise.title, sunrise.outcome = "Renamed by Gail", "New menus."
    sunrise.fed_back_on = D(2017, 5, 4)
    save_activity(sunrise, user=plan["gail"], version=opened)
    client.force_login(plan["mia"])
    before = database_fingerprint()
    typed = _typed(title="Mia's title", version=opened)
    response = client.post(_url("engagement_activity_edit", pk=sunrise.pk), typed)
    body = response.content.decode()
    assert response.status_code == 409
    assert "Your changes were not saved" in body and "Renamed by Gail" in body
    assert "4 May 2017" in body  # what is saved now, beside the form
    assert "Mia&#39;s title" in body  # what was typed, ready to save again
    assert f'name="version" value="{opened + 1}"' in body
    assert database_fingerprint() == before
    again = client.post(_url("engagement_activity_edit", pk=sunrise.pk), {**typed, "version": 2})
    assert again.status_code == 302
    assert Activity.objects.get(pk=sunrise.pk).title == "Mia's title"


def test_participation_and_equality_monitoring_are_counts(plan, client):
    client.force_login(plan["mia"])
    sunrise = plan["sunrise"]
    url = _url("engagement_participation", pk=sunrise.pk)
    page = client.get(url).content.decode()
    assert "counts only" in page and 'name="eq-2-category"' in page
    typed = {
        "service_user": "6",
        "carer": "2",
        "public": "0",
        "rows": "3",
        "eq-0-characteristic": "age",
        "eq-0-category": "18 to 25",
        "eq-0-count": "3",
        "eq-1-characteristic": "ethnicity",
        "eq-1-category": "Asian or Asian British",
        "eq-1-count": "5",
    }
    assert client.post(url, typed).status_code == 302
    assert dict(sunrise.participation.values_list("perspective", "count")) == {
        "service_user": 6,
        "carer": 2,
    }
    counted = sunrise.equality_counts.values_list("characteristic", "category", "count")
    assert set(counted) == {
        (Characteristic.AGE, "18 to 25", 3),
        (Characteristic.ETHNICITY, "Asian or Asian British", 5),
    }
    again = client.get(url).content.decode()
    assert 'value="Asian or Asian British"' in again and 'name="eq-4-count"' in again


def test_wrong_counts_are_named_and_write_nothing(plan, client):
    client.force_login(plan["gail"])
    url = _url("engagement_participation", pk=plan["sunrise"].pk)
    _refused(client, url, {"carer": "-1"}, "carer", "The number of carers is 0 or more.")
    _refused(client, url, {"carer": "two"}, "carer", "as a whole number")
    _refused(
        client,
        url,
        {"rows": "1", "eq-0-category": "18 to 25", "eq-0-count": "3"},
        "eq-0-characteristic",
        "Choose the characteristic of this row.",
    )
    _refused(
        client,
        url,
        {"rows": "1", "eq-0-characteristic": "age", "eq-0-category": "18 to 25"},
        "eq-0-count",
        "Enter how many people said this category.",
    )


def test_the_outcome_and_when_it_was_fed_back(plan, client):
    client.force_login(plan["mia"])
    sunrise = plan["sunrise"]
    url = _url("engagement_outcome", pk=sunrise.pk)
    assert "When it was fed back" in client.get(url).content.decode()
    _refused(
        client,
        url,
        {"outcome": "New menus.", "fed_back_how": "A letter", "version": sunrise.version},
        "fed-back-on-day",
        "Give the day the outcome was fed back.",
    )
    typed = {
        "outcome": "New menus.",
        "fed_back_how": "A letter",
        "version": sunrise.version,
        **_day("fed_back_on", D(2017, 5, 4)),
    }
    assert client.post(url, typed).status_code == 302
    sunrise.refresh_from_db()
    assert (sunrise.outcome, sunrise.fed_back_on, sunrise.fed_back_how) == (
        "New menus.",
        D(2017, 5, 4),
        "A letter",
    )
    assert sunrise.services.count() == 1  # the outcome leaves the links as they were


def test_a_save_keeps_a_retired_action_the_activity_serves(plan, client):
    from planboard.plans.action_changes import retire_action

    sunrise, action = plan["sunrise"], plan["actions"][1]
    save_activity(sunrise, user=None, actions=[action])
    retire_action(action, reason="Done another way.", version=action.version, user=plan["gail"])
    client.force_login(plan["gail"])
    url = _url("engagement_activity_edit", pk=sunrise.pk)
    assert f"{action.ref} Hold a review." in client.get(url).content.decode()
    typed = _typed(version=Activity.objects.get(pk=sunrise.pk).version, actions=[action.pk])
    assert client.post(url, typed).status_code == 302
    assert list(Activity.objects.get(pk=sunrise.pk).actions.all()) == [action]


def test_two_people_counting_who_took_part_cannot_overwrite_each_other(plan, client):
    sunrise = plan["sunrise"]
    client.force_login(plan["mia"])
    url = _url("engagement_participation", pk=sunrise.pk)
    opened = Activity.objects.get(pk=sunrise.pk).version
    assert f'name="version" value="{opened}"' in client.get(url).content.decode()
    set_participation(sunrise, {"carer": 9}, user=plan["gail"], version=opened)
    before = database_fingerprint()
    typed = {"service_user": "4", "rows": "0", "version": str(opened)}
    response = client.post(url, typed)
    body = response.content.decode()
    assert response.status_code == 409
    assert "Your changes were not saved" in body and "9 Carers" in body
    assert f'name="version" value="{opened + 1}"' in body and 'value="4"' in body
    assert database_fingerprint() == before
    assert client.post(url, {**typed, "version": str(opened + 1)}).status_code == 302
    assert dict(sunrise.participation.values_list("perspective", "count")) == {"service_user": 4}
