"""Trackers as trusts keep them: statuses that are sentences, ratings and states mixed in
one column, second date columns, group rows, a source column and refs of any shape."""

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command

from planboard.imports.table_import import import_table, preview
from planboard.imports.tables import read_table
from planboard.plans.models import Action, ActionStatus, DatePrecision
from tests.bounds import database_fingerprint
from tests.builders import make_role, make_strategy
from tests.imports.test_table_import import actions, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def plan(db):
    strategy = make_strategy(slug="plan")
    make_role(strategy, "Engagement Manager", "EM")
    make_role(strategy, "Head of SUEMU")
    return strategy


# -- the mixed tracker of the issue -------------------------------------------------------


@pytest.mark.parametrize("name", ["mixed-tracker.csv", "mixed-tracker.xlsx"])
def test_the_mixed_tracker_reads_ratings_statuses_and_commentary_cell_by_cell(plan, name):
    summary = import_table(FIXTURES / name, strategy_slug="plan")

    assert summary["created"] == 8
    assert summary["columns"]["Status"] == "mixed"
    got = [(a.ref, a.status, a.rag_level and a.rag_level.label, a.rag_text) for a in actions()]
    assert got == [
        ("1.1", ActionStatus.NOT_STARTED, None, ""),
        ("1.2", ActionStatus.IN_PROGRESS, "Green", "G"),
        ("1.3", ActionStatus.COMPLETE, None, ""),
        ("1.4", ActionStatus.IN_PROGRESS, None, ""),
        ("1.5", ActionStatus.IN_PROGRESS, None, ""),
        ("1.6", ActionStatus.IN_PROGRESS, "Amber", "amber"),
        ("1.7", ActionStatus.IN_PROGRESS, "Red", "r"),
        ("1.8", ActionStatus.COMPLETE, None, ""),
    ]
    assert actions()[4].progress.startswith("Draft shared with the patient panel")
    assert [a.progress for a in actions() if a.number != 5] == [""] * 7
    assert "RAG_NOT_IN_KEY" not in summary["findings"]


def test_the_mixed_tracker_reimports_without_change(plan):
    import_table(FIXTURES / "mixed-tracker.csv", strategy_slug="plan")
    before = database_fingerprint()

    summary = import_table(FIXTURES / "mixed-tracker.xlsx", strategy_slug="plan")

    assert (summary["created"], summary["updated"], summary["unchanged"]) == (0, 0, 8)
    assert database_fingerprint() == before


# -- a tracker as a trust keeps it --------------------------------------------------------

TRACKER = [
    ["Quality improvement action tracker", "", "", "", "", "", ""],
    ["Updated monthly for the Quality Committee", "", "", "", "", "", ""],
    ["No.", "Action", "Source", "Lead", "Target date", "Revised date", "Status"],
    ["Workstream 1: Patient voice", "", "", "", "", "", ""],
    [
        "007",
        "Recruit experts by experience",
        "Board, 12 May 2026, item 7",
        "EM",
        "31/03/2026",
        "30/06/2026",
        "Two recruited so far; adverts out again in April for the remaining posts",
    ],
    [
        "1.2.3",
        "Set up a reference group",
        "CQC inspection report",
        "EM",
        "Jun 2026",
        "",
        "Terms of reference agreed at the first meeting and published on the intranet",
    ],
    ["", "WORKSTREAM 2: COMMUNICATION", "", "", "", "", ""],
    [
        "2/14",
        "Launch the newsletter",
        "Quality Committee",
        "Head of SUEMU",
        "Sep 2026",
        "Dec 2026",
        "Delayed by the printing contract, which is now signed and starts in October",
    ],
    [
        "A12",
        "Run the survey",
        "",
        "Head of SUEMU",
        "Q3 2026/27",
        "Q4 2026/27",
        "Survey questions drafted with the patient panel and sent for sign off",
    ],
    [
        "CQC-3",
        "Close the old feedback inbox",
        "CQC inspection report",
        "EM",
        "Jan 2026",
        "",
        "The inbox was closed in January and the auto-reply points to the new form",
    ],
]


def test_a_trusts_tracker_imports_every_action_ref_date_area_and_source(plan, tmp_path):
    summary = import_table(write_csv(tmp_path, TRACKER), strategy_slug="plan")

    assert summary["columns"] == {
        "No.": "ref",
        "Action": "text",
        "Source": "source",
        "Lead": "lead",
        "Target date": "target",
        "Revised date": "revised",
        "Status": "progress",
    }
    assert summary["created"] == 5
    assert [s["row"] for s in summary["skipped"]] == [4, 7]
    got = [
        (a.ref_as_written, a.text, a.area.name, a.source, a.target_date, a.original_target_date)
        for a in actions()
    ]
    assert got == [
        (
            "007",
            "Recruit experts by experience",
            "Workstream 1: Patient voice",
            "Board, 12 May 2026, item 7",
            datetime.date(2026, 6, 30),
            datetime.date(2026, 3, 31),
        ),
        (
            "1.2.3",
            "Set up a reference group",
            "Workstream 1: Patient voice",
            "CQC inspection report",
            datetime.date(2026, 6, 30),
            datetime.date(2026, 6, 30),
        ),
        (
            "2/14",
            "Launch the newsletter",
            "WORKSTREAM 2: COMMUNICATION",
            "Quality Committee",
            datetime.date(2026, 12, 31),
            datetime.date(2026, 9, 30),
        ),
        (
            "A12",
            "Run the survey",
            "WORKSTREAM 2: COMMUNICATION",
            "",
            datetime.date(2027, 3, 31),
            datetime.date(2026, 12, 31),
        ),
        (
            "CQC-3",
            "Close the old feedback inbox",
            "WORKSTREAM 2: COMMUNICATION",
            "CQC inspection report",
            datetime.date(2026, 1, 31),
            datetime.date(2026, 1, 31),
        ),
    ]
    assert actions()[0].progress == TRACKER[4][6]
    assert actions()[3].target_precision == DatePrecision.QUARTER
    assert all(a.rag_text == "" and a.rag_level is None for a in actions())
    assert summary["findings"]["SLIPPED"] == 3


def test_a_trusts_tracker_reimports_without_duplicates_changing_only_what_changed(plan, tmp_path):
    import_table(write_csv(tmp_path, TRACKER), strategy_slug="plan")
    before = database_fingerprint()

    again = import_table(write_xlsx(tmp_path, TRACKER), strategy_slug="plan")

    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 5)
    assert database_fingerprint() == before

    changed = [list(row) for row in TRACKER]
    changed[7][6] = "Printed and sent to every ward in December"
    third = import_table(write_csv(tmp_path, changed, name="v3.csv"), strategy_slug="plan")

    assert (third["created"], third["updated"], third["unchanged"]) == (0, 1, 4)
    assert Action.objects.count() == 5
    newsletter = Action.objects.get(ref_as_written="2/14")
    assert (newsletter.progress, newsletter.version) == (changed[7][6], 2)


def test_a_sentence_in_a_rating_column_is_kept_as_progress_with_a_note(plan, tmp_path):
    rows = [
        ["Action", "RAG", "Progress"],
        ["One", "Green", "Started"],
        ["Two", "Waiting for the estates team to confirm the room booking", "Asked twice"],
    ]

    summary = import_table(write_csv(tmp_path, rows), strategy_slug="plan", mapping={"RAG": "rag"})

    two = actions()[1]
    assert (two.rag_text, two.progress) == (
        "",
        "Waiting for the estates team to confirm the room booking\nAsked twice",
    )
    assert summary["notes"] == [
        {"row": 3, "note": 'the RAG rating in "RAG" is a sentence: kept as progress'}
    ]


def test_a_long_status_sentence_is_never_refused(plan, tmp_path):
    long = "The team met twice this quarter. " * 40
    rows = [["Action", "Status"], ["One", long], ["Two", long]]

    summary = import_table(write_csv(tmp_path, rows), strategy_slug="plan")

    assert summary["columns"]["Status"] == "progress"
    assert actions()[0].progress == " ".join(long.split())


def test_a_forecast_column_alone_is_the_target(plan, tmp_path):
    rows = [["Action", "Forecast completion"], ["One", "Mar 2027"]]

    summary = import_table(write_csv(tmp_path, rows), strategy_slug="plan")

    assert summary["columns"]["Forecast completion"] == "target"
    assert actions()[0].target_date == datetime.date(2027, 3, 31)


def test_a_revised_date_of_completed_completes_the_action_at_its_target(plan, tmp_path):
    rows = [["Action", "Deadline", "Revised deadline"], ["One", "Mar 2027", "Completed"]]

    import_table(write_csv(tmp_path, rows), strategy_slug="plan")

    one = actions()[0]
    assert (one.status, one.target_date) == (ActionStatus.COMPLETE, datetime.date(2027, 3, 31))


def test_the_command_reads_a_tracker_the_same_way(plan, tmp_path, capsys):
    path = write_csv(tmp_path, TRACKER)

    call_command("import_table", str(path), "--strategy", "plan")

    assert [a.ref_as_written for a in actions()] == ["007", "1.2.3", "2/14", "A12", "CQC-3"]
    assert actions()[2].original_target_date == datetime.date(2026, 9, 30)


# -- the preview --------------------------------------------------------------------------


def test_the_preview_gives_each_columns_meaning_and_reason(plan, tmp_path):
    shown = preview(read_table(write_csv(tmp_path, TRACKER)), plan)

    meanings = {m.header: (m.field, m.reason) for m in shown.meanings}
    assert meanings["Status"] == ("progress", "5 of 5 values are sentences")
    assert meanings["Revised date"][0] == "revised"
    assert meanings["Source"][0] == "source"
    assert shown.rows[0].original_target == "31 Mar 2026"


def test_changing_a_columns_meaning_changes_what_is_read(plan, tmp_path):
    table = read_table(FIXTURES / "mixed-tracker.csv")

    as_found = preview(table, plan)
    as_chosen = preview(table, plan, {"Status": "status"})

    found = {m.header: m for m in as_found.meanings}["Status"]
    assert found.field == "mixed" and "read cell by cell" in found.reason
    chosen = {m.header: m for m in as_chosen.meanings}["Status"]
    assert (chosen.field, chosen.reason) == ("status", "chosen on the preview (or with --map)")
    assert [row.level for row in as_found.rows][:2] == ["", "Green"]
    assert [row.status for row in as_chosen.rows][:3] == ["Not started", "In progress", "Complete"]
    assert all(row.level == "" for row in as_chosen.rows)


def test_refs_that_start_again_under_each_heading_import_and_reimport(plan, tmp_path):
    rows = [
        ["Ref", "Action", "Lead", "Due"],
        ["Workstream 1: Patient voice", "", "", ""],
        ["1", "Recruit experts by experience", "EM", "Mar 2027"],
        ["2", "Set up a reference group", "EM", "Jun 2027"],
        ["Workstream 2: Communication", "", "", ""],
        ["1", "Launch the newsletter", "EM", "Sep 2027"],
        ["2", "Run the survey", "EM", "Dec 2027"],
    ]
    import_table(write_csv(tmp_path, rows), strategy_slug="plan")
    got = [(a.ref_as_written, a.area.name, a.text) for a in actions()]
    assert got == [
        ("1", "Workstream 1: Patient voice", "Recruit experts by experience"),
        ("2", "Workstream 1: Patient voice", "Set up a reference group"),
        ("1", "Workstream 2: Communication", "Launch the newsletter"),
        ("2", "Workstream 2: Communication", "Run the survey"),
    ]
    before = database_fingerprint()

    again = import_table(write_csv(tmp_path, rows, name="again.csv"), strategy_slug="plan")

    assert (again["created"], again["unchanged"]) == (0, 4)
    assert database_fingerprint() == before
    rows[5][3] = "Oct 2027"
    third = import_table(write_csv(tmp_path, rows, name="third.csv"), strategy_slug="plan")
    assert (third["created"], third["updated"]) == (0, 1)
    newsletter = Action.objects.get(text="Launch the newsletter")
    assert newsletter.target_date == datetime.date(2027, 10, 31)
