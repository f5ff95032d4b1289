"""The plan checker on the real seed paper: the faults a reader of the paper can count."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command

from planboard.progress.checker import FindingCode, run_checks, summarise

PAPER_DATE = datetime.date(2017, 2, 13)


def found(strategy, code, as_of=PAPER_DATE):
    return [f for f in run_checks(strategy, as_of) if f.code == code]


def test_it_reports_the_data_faults_of_the_seed_paper(seed_strategy):
    summary = summarise(run_checks(seed_strategy, PAPER_DATE))
    # How many leads stay unresolved depends on the importer's aliases; see below.
    unresolved = summary.pop(FindingCode.LEAD_UNRESOLVED)

    # 37: one per (action, lead) whose role the key does not name, e.g. "Service User Leads".
    assert unresolved == 37
    assert summary == {
        FindingCode.RAG_NOT_IN_KEY: 4,
        FindingCode.RAG_MISSING: 40,
        FindingCode.LEAD_MISSING: 4,
        FindingCode.AREA_MISSING: 1,
        FindingCode.ACTION_UNLINKED: 8,
        FindingCode.COMMITMENT_UNCOVERED: 1,
        FindingCode.COMMITMENT_REF_INVALID: 1,
    }


def test_it_reports_the_four_yellow_ratings(seed_strategy):
    findings = found(seed_strategy, FindingCode.RAG_NOT_IN_KEY)

    assert [f.ref for f in findings] == ["1.2", "1.3", "1.4", "1.9"]
    assert findings[0].message == (
        'Action 1.2 is rated "Yellow", which the RAG key does not define.'
    )


def test_it_reports_the_action_without_an_area_in_theme_3(seed_strategy):
    [finding] = found(seed_strategy, FindingCode.AREA_MISSING)

    assert finding.ref == "3.1"


def test_it_reports_commitment_1_11_as_served_by_no_action(seed_strategy):
    [finding] = found(seed_strategy, FindingCode.COMMITMENT_UNCOVERED)

    assert finding.ref == "1.11"


def test_it_reports_theme_5_citing_a_seventh_commitment(seed_strategy):
    [finding] = found(seed_strategy, FindingCode.COMMITMENT_REF_INVALID)

    assert finding.ref == "5"
    assert "commitment 7" in finding.message


def test_it_names_the_leads_the_key_of_roles_does_not_name(seed_strategy):
    messages = " ".join(f.message for f in found(seed_strategy, FindingCode.LEAD_UNRESOLVED))

    for lead in ("Finance", "Supervising Managers", "Board Secretary"):
        assert f'"{lead}"' in messages


@pytest.mark.parametrize(
    ("as_of", "overdue"),
    [
        (datetime.date(2017, 2, 13), 0),
        (datetime.date(2017, 4, 1), 3),
        (datetime.date(2017, 7, 1), 16),
    ],
)
def test_it_reports_the_actions_overdue_on_a_date(seed_strategy, as_of, overdue):
    assert len(found(seed_strategy, FindingCode.OVERDUE, as_of)) == overdue


def test_it_stops_reporting_yellow_once_the_key_calls_it_amber(seed_strategy):
    amber = seed_strategy.rag_levels.get(label="Amber")
    amber.aliases = ["Yellow"]
    amber.save()

    summary = summarise(run_checks(seed_strategy, PAPER_DATE))

    assert FindingCode.RAG_NOT_IN_KEY not in summary
    assert summary[FindingCode.RAG_MISSING] == 40
    assert seed_strategy.rag_levels.get(label="Amber").actions.count() == 4


def test_the_check_command_reports_the_seed_paper_as_json(seed_strategy):
    out = StringIO()
    call_command("check", strategy="sue", as_of="2017-04-01", json=True, stdout=out)

    report = json.loads(out.getvalue())
    assert report["strategy"] == "sue"
    assert report["summary"]["OVERDUE"] == 3
    assert report["summary"]["RAG_NOT_IN_KEY"] == 4
