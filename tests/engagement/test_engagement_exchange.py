"""Engagement in the strategy's JSON exchange: directorates and activities always, the
private register only when asked for by name, and older files loading as before."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from planboard.engagement.models import (
    Activity,
    Involvement,
    Kind,
    Level,
    Participant,
    Reward,
    RewardRate,
)
from planboard.engagement.register import save_involvement, save_participant, save_rate
from planboard.engagement.services import set_equality_counts, set_participation
from planboard.feedback.models import Service
from planboard.imports.exchange import ExchangeError, dumps
from planboard.imports.exchange_export import export_strategy
from planboard.imports.exchange_load import import_strategy
from tests.builders import make_person
from tests.engagement.helpers import add_activity, make_engagement_plan
from tests.shared import shared

D = datetime.date
# What only the private register holds: none of it may be in a file written without it.
PRIVATE_MARKERS = (
    '"register"',
    '"participants"',
    '"involvements"',
    '"rates"',
    "consent_given_on",
    "access_needs",
    "amount_due",
    "Jo Bloggs",
    "07700 900123",
    "Working group member",
)


@shared
def plan(db):
    strategy, places, commitments, actions = make_engagement_plan(slug="engaged")
    places["community"].code = "RXA"
    places["community"].save()
    ada = make_person(strategy, "Ada Lovelace")
    group = add_activity(
        strategy,
        "SUNRISE group",
        ref="E1",
        kind=Kind.STANDING_GROUP,
        level=Level.COPRODUCE,
        starts_on=D(2017, 4, 3),
        ongoing=True,
        outcome="New menus",
        fed_back_on=D(2017, 6, 12),
        fed_back_how="At the group",
        lead=ada,
        services=[places["maple"], places["community"]],
        commitments=commitments[:2],
        actions=[actions[1]],
    )
    set_participation(group, {"service_user": 8, "carer": 3}, user=None)
    set_equality_counts(
        group, {("age", "18 to 25"): 4, ("ethnicity", "White British"): 5}, user=None
    )
    add_activity(strategy, "Open day", services=[places["pharmacy"]])
    jo = save_participant(
        Participant(strategy=strategy, name="Jo Bloggs", contact="07700 900123"), user=None
    )
    save_rate(
        RewardRate(
            strategy=strategy,
            name="Working group member",
            amount=Decimal("15.00"),
            valid_from=D(2017, 1, 1),
        ),
        user=None,
    )
    save_involvement(
        Involvement(
            participant=jo,
            activity=group,
            took_part_on=D(2017, 4, 3),
            hours=Decimal("2"),
            reward=Reward.PAYMENT,
        ),
        user=None,
        rate_name="Working group member",
    )
    return strategy


def _moved(data: dict, slug: str) -> dict:
    copied = json.loads(dumps(data))
    copied["strategy"]["slug"] = slug
    return copied


def test_without_the_flag_nothing_of_the_private_register_is_in_the_file(plan):
    text = dumps(export_strategy(plan))
    data = json.loads(text)
    assert [d["name"] for d in data["directorates"]] == [
        "Acute",
        "Community",
        "Home treatment",
        "Maple ward",
        "Pharmacy",
    ]
    home = next(d for d in data["directorates"] if d["name"] == "Home treatment")
    assert (home["kind"], home["parent"]) == ("service", "Community")
    assert [a["title"] for a in data["activities"]] == ["Open day", "SUNRISE group"]
    for marker in PRIVATE_MARKERS:
        assert marker not in text, marker
    group = data["activities"][1]
    assert group["services"] == ["Community", "Maple ward"]
    assert (group["commitments"], group["actions"], group["lead"]) == (
        ["1.1", "1.2"],
        ["1.2"],
        "Ada Lovelace",
    )
    assert group["participation"] == {"carer": 3, "service_user": 8}
    assert {"characteristic": "age", "category": "18 to 25", "count": 4} in group["equality_counts"]


def _describe(strategy) -> list:
    """Every activity of ``strategy`` with all it carries, by natural keys."""
    return [
        {
            **{
                f.name: getattr(a, f.name)
                for f in Activity._meta.concrete_fields
                if not f.is_relation and not f.primary_key
            },
            "services": sorted(s.name for s in a.services.all()),
            "commitments": sorted(c.ref for c in a.commitments.all()),
            "actions": sorted(x.ref for x in a.actions.all()),
            "lead": a.lead.name if a.lead else None,
            "participation": sorted(a.participation.values_list("perspective", "count")),
            "equality": sorted(
                a.equality_counts.values_list("characteristic", "category", "count")
            ),
        }
        for a in Activity.objects.filter(strategy=strategy).order_by("title")
    ]


def test_directorates_and_activities_round_trip_and_the_file_is_the_same_again(plan):
    data = export_strategy(plan)
    summary = import_strategy(_moved(data, "copy"), user=None)
    assert (summary["directorates"], summary["activities"]) == (5, 2)
    copy = type(plan).objects.get(slug="copy")
    assert _describe(copy) == _describe(plan)
    services = {
        s.name: (s.code, s.kind, s.parent.name if s.parent else None)
        for s in Service.objects.filter(strategy=copy)
    }
    assert services["Community"] == ("RXA", "directorate", None)
    assert services["Maple ward"] == ("", "service", "Acute")
    assert not Participant.objects.filter(strategy=copy).exists()
    again = _moved(export_strategy(copy), "engaged")
    assert dumps(again) == dumps(data)


def test_with_the_flag_the_register_round_trips(plan):
    out = io.StringIO()
    call_command("export", strategy=plan.slug, output="-", with_register=True, stdout=out)
    data = json.loads(out.getvalue())
    assert data["register"]["participants"][0]["contact"] == "07700 900123"
    assert data["register"]["involvements"][0]["amount_due"] == "30.00"
    import_strategy(_moved(data, "with-register"), user=None)
    copy = type(plan).objects.get(slug="with-register")
    jo = Participant.objects.get(strategy=copy)
    assert (jo.name, jo.contact) == ("Jo Bloggs", "07700 900123")
    involvement = Involvement.objects.get(participant=jo)
    assert (involvement.activity.title, involvement.hours, involvement.amount_due) == (
        "SUNRISE group",
        Decimal("2.00"),
        Decimal("30.00"),
    )
    assert (involvement.rate.name, involvement.rate.strategy) == ("Working group member", copy)
    assert dumps(_moved(export_strategy(copy, with_register=True), plan.slug)) == dumps(data)


def test_a_file_without_engagement_loads_as_before(plan):
    data = _moved(export_strategy(plan), "older")
    for key in ("directorates", "activities"):
        del data[key]
    summary = import_strategy(data, user=None)
    assert "directorates" not in summary and "activities" not in summary
    older = type(plan).objects.get(slug="older")
    assert not Activity.objects.filter(strategy=older).exists()
    assert not Service.objects.filter(strategy=older).exists()


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda d: d["activities"][1].update(level="tokenism"),
            'activities[1]: "level" is "tokenism"',
        ),
        (
            lambda d: d["activities"][1].update(services=["Narnia"]),
            'activities[1]: there is no directorate or service "Narnia"',
        ),
        (
            lambda d: d["activities"][1].update(lead="Nobody"),
            'activities[1]: there is no person "Nobody"',
        ),
        (
            lambda d: d["directorates"][2].update(parent="Nowhere"),
            'directorates[2]: there is no directorate "Nowhere" above it.',
        ),
    ],
)
def test_a_bad_engagement_row_refuses_the_whole_file(plan, change, message):
    data = _moved(export_strategy(plan), "broken")
    change(data)
    with pytest.raises(ExchangeError) as refused:
        import_strategy(data, user=None)
    assert str(refused.value).startswith(message)
    assert not type(plan).objects.filter(slug="broken").exists()
