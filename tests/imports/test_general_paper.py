"""Papers from other trusts: other headers, date forms, a BRAG key, no summary report."""

import datetime
from pathlib import Path

import pytest

from planboard.imports.errors import PaperError
from planboard.imports.paper import parse_paper
from planboard.imports.services import import_paper
from planboard.papers.models import CoverSheet
from planboard.people.models import Role
from planboard.plans.models import Action, ActionStatus, Committee, DatePrecision, Strategy

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CARERS = FIXTURES / "carers-action-plan.txt"


@pytest.fixture
def carers(db):
    summary = import_paper(CARERS)
    return summary, Strategy.objects.get(slug=summary["strategy"])


def test_it_imports_a_paper_with_other_headers(carers):
    summary, strategy = carers
    assert summary == {
        "strategy": "carers-strategy-2017-2020",
        "themes": 2,
        "commitments": 3,
        "actions": 5,
        "roles": 4,
        "people": 3,
        "committees": 1,
        "areas": 3,
    }
    assert [t.title for t in strategy.themes.all()] == ["Identifying carers", "Supporting carers"]
    first = Action.objects.get(theme__strategy=strategy, theme__number=1, number=1)
    assert first.text == "Add a carer question to the first assessment form."
    assert first.area.name == "Carer identification"
    assert first.cited_commitments == [1, 2]
    assert {role.short_name for role in first.leads.all()} == {"CL", "PEM"}


def test_it_reads_day_and_quarter_targets(carers):
    _, strategy = carers
    actions = Action.objects.for_strategy(strategy).in_plan_order()
    assert [(a.target_date, a.target_precision) for a in actions] == [
        (datetime.date(2018, 3, 31), DatePrecision.DAY),
        (datetime.date(2017, 6, 30), DatePrecision.QUARTER),
        (datetime.date(2017, 12, 31), DatePrecision.QUARTER),
        (datetime.date(2017, 9, 30), DatePrecision.MONTH),
        (datetime.date(2018, 12, 31), DatePrecision.YEAR),
    ]


def test_it_uses_the_papers_brag_key_with_blue_as_complete(carers):
    _, strategy = carers
    levels = list(strategy.rag_levels.all())
    assert [(level.label, level.definition) for level in levels] == [
        ("Blue", "Complete"),
        ("Red", "Not on track"),
        ("Amber", "At risk of slipping"),
        ("Green", "On track"),
    ]
    assert [level.means_complete for level in levels] == [True, False, False, False]
    blue = Action.objects.get(theme__strategy=strategy, rag_text="Blue")
    assert blue.rag_level.label == "Blue"
    assert blue.status == ActionStatus.COMPLETE
    assert Action.objects.for_strategy(strategy).filter(rag_level__isnull=True).count() == 1


def test_it_continues_the_first_tables_columns_in_later_themes(carers):
    _, strategy = carers
    later = Action.objects.get(theme__strategy=strategy, theme__number=2, number=1)
    assert later.area.name == "Carer assessments"
    assert (later.rag_text, later.lead_text) == ("", "DoN, Finance")
    assert {role.title for role in later.leads.all()} == {"Director of Nursing", "Finance"}
    assert Role.objects.get(strategy=strategy, title="Finance").in_key is False
    carers_lead = Role.objects.get(strategy=strategy, abbreviation="CL")
    assert carers_lead.actions.count() == 2  # "CL/PEM" and "Carers Leads"


def test_it_describes_the_strategy_and_organisation(carers):
    _, strategy = carers
    assert strategy.title == "Carers Strategy 2017-2020"
    assert strategy.approval == "Governing Body, March 2017"
    assert strategy.plan_title == "Carers Strategy 2017-2020 - Action Plan"
    assert strategy.plan_version == "version 1.2 - April 2017"
    assert strategy.organisation == "Northshire Community NHS Foundation Trust"
    assert "BRAG" not in strategy.introduction


def test_it_reads_a_cover_sheet_with_other_labels(carers):
    _, strategy = carers
    cover = CoverSheet.objects.get(strategy=strategy)
    assert (cover.meeting, cover.meeting_date) == ("Governing Body", datetime.date(2017, 6, 14))
    assert (cover.reference, cover.item) == ("GB/17/06", "9b")
    assert cover.action_required == "The Governing Body is asked to note progress."
    assert cover.report_date == datetime.date(2017, 6, 1)
    assert cover.purpose_ticks == []
    committees = Committee.objects.filter(strategy=strategy)
    assert [(c.name, c.abbreviation) for c in committees] == [("Governing Body", "GB")]


def test_it_imports_a_bare_plan_without_cover_or_heading():
    text = "\n".join(
        [
            "Ann Lee, Director of Strategy (DoS)",
            "",
            "Theme 1 - Digital first",
            "1. We will put services online.",
            "",
            "Ref\tWorkstream\tDescription\tProgress update\tDeadline\tRAG status\tOwner",
            "1\tWebsite 1\tRebuild the website.\tSupplier chosen.\tDec 2017\tRed\tDoS",
            "2\t\tPublish the plan online.\t\tCompleted\t\tComms team",
        ]
    )
    paper = parse_paper(text, "bare.txt")
    assert [theme.title for theme in paper.themes] == ["Digital first"]
    first, second = paper.themes[0].actions
    assert (first.text, first.progress, first.area) == (
        "Rebuild the website.",
        "Supplier chosen.",
        "Website",
    )
    assert second.area == "Website" and second.target.complete
    assert [role.title for role in paper.roles] == ["Director of Strategy", "Comms team"]
    assert paper.rag_levels == []
    assert paper.strategy.title == ""


def test_it_refuses_a_paper_that_names_no_strategy(db, tmp_path):
    path = tmp_path / "bare.txt"
    path.write_text("Theme: One\n\n1. We will.\n\nArea\tAction\tDue\nA 1\tDo it.\tMar 17\n")
    with pytest.raises(PaperError, match="^bare.txt: the paper does not name its strategy"):
        import_paper(path)


def test_it_gives_the_default_scale_when_the_paper_has_no_key(db, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(
        "Estates Strategy - Action Plan v1\n\nTheme: Buildings\n\n1. We will mend roofs.\n\n"
        "Area\tAction\tDue\tRAG\nRoofs 1\tMend the roof.\tMar 18\tAmber\n",
        encoding="utf-8",
    )
    assert import_paper(path)["strategy"] == "estates-strategy"
    strategy = Strategy.objects.get()
    assert [level.label for level in strategy.rag_levels.all()] == ["Green", "Amber", "Red"]
    assert Action.objects.get().rag_level.label == "Amber"
