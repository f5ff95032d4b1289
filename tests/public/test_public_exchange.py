"""The public page's texts travel with the strategy's JSON export and come back intact."""

import json

import pytest

from planboard.imports.exchange import ExchangeError, dumps
from planboard.imports.exchange_export import export_strategy
from planboard.imports.exchange_load import import_strategy
from planboard.plans.models import Strategy
from planboard.public.models import ActionPublication, StrategyPublication, ThemePublication


def _moved(strategy, change=None):
    data = json.loads(dumps(export_strategy(strategy)))
    strategy.delete()
    if change:
        change(data)
    return data


def test_export_import_export_keeps_the_public_texts_byte_for_byte(published):
    first = dumps(export_strategy(published))
    data = json.loads(first)
    assert data["public"]["published"] is True
    assert [a["ref"] for a in data["public"]["actions"]] == [f"1.{n}" for n in range(1, 17)]
    assert data["public"]["themes"][0]["number"] == 1
    published.delete()
    summary = import_strategy(data, source="sue.json")
    assert summary["public_actions"] == 16
    again = Strategy.objects.get(slug="sue")
    assert dumps(export_strategy(again)) == first
    assert again.publication.published
    record = ActionPublication.objects.get(action__theme__strategy=again, action__number=2)
    assert record.summary.startswith("We are finding out")
    assert record.history.count() == 1


def test_a_file_without_the_public_section_imports_unpublished(published):
    data = _moved(published, lambda d: d.pop("public"))
    import_strategy(data)
    assert not StrategyPublication.objects.exists()
    assert not ActionPublication.objects.exists()


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda d: d["public"]["actions"][3].update(ref="9.9"),
            "public.actions[3].ref: no action '9.9'",
        ),
        (
            lambda d: d["public"]["actions"][0].update(summary=""),
            "public.actions[0]: a published action needs a summary",
        ),
        (
            lambda d: d["public"]["themes"][0].update(number=42),
            "public.themes[0].number: no theme 42",
        ),
        (lambda d: d["public"].update(published="yes"), "public.published: expected true or false"),
        (lambda d: d.update(public=[]), "public: expected an object"),
    ],
)
def test_a_bad_public_section_is_refused_naming_the_place_and_leaves_nothing(
    published, change, message
):
    data = _moved(published, change)
    with pytest.raises(ExchangeError) as refused:
        import_strategy(data)
    assert message in str(refused.value)
    assert not Strategy.objects.exists()
    assert not ThemePublication.objects.exists()
