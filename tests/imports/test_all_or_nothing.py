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


@pytest.fixture
def fail_after_actions(monkeypatch):
    """Make the writer fail once the strategy, its people and its actions are written."""
    from planboard.imports import writer

    write_actions = writer._Writer.write_actions

    def write_then_fail(self, *args, **kwargs):
        write_actions(self, *args, **kwargs)
        assert Action.objects.exists(), "the failure must come after rows were written"
        raise PaperError("the cover sheet could not be saved", source="paper.txt")

    monkeypatch.setattr(writer._Writer, "write_actions", write_then_fail)


def test_a_failure_while_writing_leaves_no_half_written_strategy(db, seed_path, fail_after_actions):
    with pytest.raises(PaperError, match="could not be saved"):
        import_paper(seed_path, slug="sue")

    assert Strategy.objects.count() == Theme.objects.count() == Action.objects.count() == 0
    assert Area.objects.count() == RagLevel.objects.count() == Person.objects.count() == 0


def test_a_failure_while_replacing_keeps_the_old_strategy(
    seed_strategy, seed_path, fail_after_actions
):
    with pytest.raises(PaperError):
        import_paper(seed_path, slug="sue", replace=True)

    strategy = Strategy.objects.get(slug="sue")
    assert strategy.pk == seed_strategy.pk
    assert Action.objects.for_strategy(strategy).count() == 49
    assert Person.objects.filter(strategy=strategy).count() == 19


def test_a_title_too_long_for_its_column_is_refused_not_cut(tmp_path, seed_path):
    text = seed_path.read_text(encoding="utf-8")
    long_title = "Focussed Culture Change " + "and more " * 40
    path = tmp_path / "paper.txt"
    path.write_text(text.replace("Theme: Focussed Culture Change", f"Theme: {long_title}"))

    with pytest.raises(PaperError, match=r"paper.txt, line \d+: the theme title is \d+ characters"):
        import_paper(path)
    assert Strategy.objects.count() == 0


def test_an_area_citing_a_year_span_is_refused_naming_the_line(tmp_path, seed_path):
    text = seed_path.read_text(encoding="utf-8")
    path = tmp_path / "paper.txt"
    path.write_text(text.replace("SUSEG 1,2,3,6,7,10, 12\t", "SUSEG 2016-2021\t"))

    with pytest.raises(PaperError, match=r"paper.txt, line \d+: the area .* cites commitment 2021"):
        import_paper(path)
    assert Strategy.objects.count() == 0
