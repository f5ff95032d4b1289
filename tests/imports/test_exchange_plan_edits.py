"""What a governance team records on the plan survives the JSON export and import:
refs as written, where actions came from, retired actions and commitments, and which
themes the public page lists."""

import datetime
import json

import pytest
from django.contrib.auth import get_user_model

from planboard.imports.exchange import ExchangeError, dumps
from planboard.imports.exchange_export import export_strategy
from planboard.imports.exchange_load import import_strategy
from planboard.plans.action_changes import retire_action
from planboard.plans.models import Action, Commitment, Strategy
from planboard.public.models import ThemePublication
from tests.cast import governance
from tests.shared import shared

RETIRED_ON = datetime.date(2017, 1, 9)


def _action(strategy, ref):
    theme, number = ref.split(".")
    return Action.objects.for_strategy(strategy).get(theme__number=theme, number=number)


@shared
def edited(seed_strategy):
    """The seed with a ref as a tracker wrote it, a source, a retired action and
    commitment, and a theme kept off the public page."""
    strategy = seed_strategy
    gail = governance()
    Action.objects.filter(pk=_action(strategy, "1.1").pk).update(
        ref_as_written="007", source="Board, 12 January 2017, item 7 — “café” paper"
    )
    action = _action(strategy, "1.2")
    retire_action(action, reason="Merged into 1.1", version=action.version, user=gail)
    Commitment.objects.filter(theme__strategy=strategy, theme__number=2, number=1).update(
        retired_on=RETIRED_ON, retired_reason="Met in 2016"
    )
    for theme in strategy.themes.order_by("number"):
        ThemePublication.objects.create(
            theme=theme, summary=f"Theme {theme.number} for everyone", listed=theme.number != 3
        )
    strategy.refresh_from_db()
    return strategy


def _export(strategy) -> str:
    return dumps(export_strategy(strategy))


def test_the_file_carries_what_the_team_recorded(edited):
    data = json.loads(_export(edited))
    actions = {item["ref"]: item for item in data["actions"]}

    assert (actions["1.1"]["ref_as_written"], actions["1.1"]["source"]) == (
        "007",
        "Board, 12 January 2017, item 7 — “café” paper",
    )
    assert actions["1.2"]["retired_on"] == datetime.date.today().isoformat()
    assert actions["1.2"]["retired_reason"] == "Merged into 1.1"
    assert actions["1.2"]["retired_by"] == "gail"
    assert "retired_by" not in actions["1.1"]
    assert actions["1.1"]["retired_on"] is None
    commitment = data["themes"][1]["commitments"][0]
    assert (commitment["retired_on"], commitment["retired_reason"]) == ("2017-01-09", "Met in 2016")
    assert [t["listed"] for t in data["public"]["themes"]][:4] == [True, True, False, True]


def test_export_import_export_is_the_same_file_and_the_retired_stay_retired(edited):
    first = _export(edited)
    edited.delete()
    get_user_model().objects.all().delete()

    summary = import_strategy(json.loads(first), source="sue.json")
    strategy = Strategy.objects.get(slug="sue")

    assert _export(strategy) == first
    assert summary["accounts_created"] == ["gail"]
    retired = _action(strategy, "1.2")
    assert retired.is_retired and retired.retired_by.username == "gail"
    assert not retired.retired_by.is_active
    in_plan = Action.objects.for_strategy(strategy).in_plan()
    assert not in_plan.filter(pk=retired.pk).exists()
    assert in_plan.count() == Action.objects.for_strategy(strategy).count() - 1
    assert _action(strategy, "1.1").ref_as_written == "007"
    assert Commitment.objects.get(theme__strategy=strategy, theme__number=2, number=1).is_retired
    assert not ThemePublication.objects.get(theme__strategy=strategy, theme__number=3).listed


def test_importing_under_another_slug_keeps_them_beside_the_original(edited):
    first = _export(edited)
    data = json.loads(first)
    data["strategy"]["slug"] = "sue-copy"

    import_strategy(data, source="sue.json")
    copy = Strategy.objects.get(slug="sue-copy")

    assert _export(copy) == first.replace('"slug": "sue"', '"slug": "sue-copy"')
    assert _action(copy, "1.2").retired_by == _action(edited, "1.2").retired_by
    assert not Action.objects.for_strategy(copy).in_plan().filter(number=2, theme__number=1)


def test_a_file_written_before_these_fields_still_imports(edited):
    data = json.loads(_export(edited))
    edited.delete()
    for action in data["actions"]:
        for name in ("ref_as_written", "source", "retired_on", "retired_reason", "retired_by"):
            action.pop(name, None)
    for theme in data["themes"]:
        theme.pop("version")
        for commitment in theme["commitments"]:
            for name in ("retired_on", "retired_reason", "version"):
                commitment.pop(name)
    for theme in data["public"]["themes"]:
        theme.pop("listed")

    import_strategy(data)
    strategy = Strategy.objects.get(slug="sue")

    actions = Action.objects.for_strategy(strategy)
    assert actions.in_plan().count() == actions.count() == len(data["actions"])
    assert not actions.exclude(ref_as_written="", source="").exists()
    assert not Commitment.objects.filter(theme__strategy=strategy, retired_on__isnull=False)
    assert all(ThemePublication.objects.filter(theme__strategy=strategy).values_list("listed"))
    assert ThemePublication.objects.filter(theme__strategy=strategy, listed=True).count() == len(
        data["public"]["themes"]
    )


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda d: d["actions"][1].update(retired_on="last week"),
            "actions[1]: “last week” value has an invalid date format.",
        ),
        (
            lambda d: d["themes"][1]["commitments"][0].update(retired_reason="x" * 501),
            'themes[1].commitments[0]: "retired_reason" is 501 characters long; at most 500.',
        ),
        (
            lambda d: d["public"]["themes"][0].update(listed="no"),
            "public.themes[0].listed: expected true or false",
        ),
    ],
)
def test_a_bad_new_field_is_refused_naming_the_place_and_leaves_nothing(edited, change, message):
    data = json.loads(_export(edited))
    edited.delete()
    change(data)

    with pytest.raises(ExchangeError) as refused:
        import_strategy(data)

    assert message in str(refused.value)
    assert not Strategy.objects.exists()
