"""An import writes everything or nothing, and never overwrites a strategy by accident."""

import pytest

from planboard.imports.errors import PaperError
from planboard.imports.services import import_paper
from planboard.people.models import Person, Role
from planboard.plans.models import Action, Area, RagLevel, Strategy, Theme

pytestmark = pytest.mark.django_db

LAST_ROW = 209


@pytest.fixture
def broken_last_row(tmp_path, seed_path):
    """The seed with an unreadable target date on its very last table row."""
    lines = seed_path.read_text(encoding="utf-8").split("\n")
    assert lines[LAST_ROW - 1].startswith("\tRegular reporting to the Board of Governors")
    lines[LAST_ROW - 1] = lines[LAST_ROW - 1].replace("\tOct 17\t", "\tSpring\t")
    path = tmp_path / "paper.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_it_writes_nothing_when_the_last_row_is_wrong(broken_last_row):
    with pytest.raises(PaperError, match=f"paper.txt, line {LAST_ROW}: target date"):
        import_paper(broken_last_row)
    assert Strategy.objects.count() == 0
    assert Theme.objects.count() == Action.objects.count() == Role.objects.count() == 0


def test_it_leaves_the_old_strategy_intact_when_a_replacement_fails(seed_strategy, broken_last_row):
    before = Action.objects.for_strategy(seed_strategy).count()
    with pytest.raises(PaperError):
        import_paper(broken_last_row, slug="sue", replace=True)
    strategy = Strategy.objects.get(slug="sue")
    assert strategy.pk == seed_strategy.pk
    assert Action.objects.for_strategy(strategy).count() == before == 49


def test_it_refuses_to_import_over_an_existing_slug(seed_strategy, seed_path):
    with pytest.raises(PaperError, match='"sue" already exists: give --replace'):
        import_paper(seed_path, slug="sue")
    assert Strategy.objects.count() == 1


def test_it_replaces_an_existing_strategy_when_asked_without_duplicates(seed_strategy, seed_path):
    summary = import_paper(seed_path, slug="sue", replace=True)
    assert summary["actions"] == 49
    assert Strategy.objects.count() == 1
    strategy = Strategy.objects.get(slug="sue")
    assert strategy.pk != seed_strategy.pk
    assert Action.objects.count() == 49
    assert Area.objects.count() == 7
    assert Person.objects.count() == 19
    assert RagLevel.objects.count() == 3


def test_it_keeps_other_strategies_when_replacing_one(seed_strategy, seed_path):
    import_paper(seed_path, slug="other")
    import_paper(seed_path, slug="sue", replace=True)
    assert set(Strategy.objects.values_list("slug", flat=True)) == {"sue", "other"}
    assert Action.objects.count() == 98


def test_it_sets_the_organisation_when_given(db, seed_path):
    import_paper(seed_path, slug="sue", organisation="Sheffield Health and Social Care")
    assert Strategy.objects.get().organisation == "Sheffield Health and Social Care"


def test_it_refuses_a_slug_that_is_not_one(db, seed_path):
    with pytest.raises(PaperError, match="cannot be a slug"):
        import_paper(seed_path, slug="Not A Slug")
