"""``import-table``: actions from CSV, Excel and Word tables, all or nothing, re-importable."""

import csv
import datetime
import io
import json

import docx
import openpyxl
import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from planboard.imports.errors import PaperError
from planboard.imports.table_import import import_table, preview
from planboard.imports.tables import read_table
from planboard.people.models import Role
from planboard.plans.models import Action, ActionStatus, Area, DatePrecision, RagLevel, Strategy
from tests.builders import make_action, make_role, make_strategy, make_theme
from tests.progress.cycle import governance

pytestmark = pytest.mark.django_db

HEADER = ["Workstream", "Description", "Owner", "Due", "Status"]
ROWS = [
    ["SUSEG 1,2", "Recruit experts by experience", "EM", "Mar 17", "Green"],
    ["", "Set up a reference group", "EM / Head of CG", "31/03/2017", "amber"],
    ["", "Publish the terms of reference", "Head of CG", "2017-03-31", "Red"],
    ["Comms", "Launch the newsletter", "Comms Lead", "March 2017", "Green"],
    ["", "Run the survey", "EM", "Q1 2017/18", "Completed"],
]


def write_csv(tmp_path, rows, name="plan.csv", encoding="utf-8"):
    path = tmp_path / name
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def write_xlsx(tmp_path, rows, name="plan.xlsx", sheet="Actions"):
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def database_counts():
    """Rows in every table (history included): to show that nothing at all was written."""
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def actions(slug="plan"):
    return list(Action.objects.filter(theme__strategy__slug=slug).in_plan_order())


@pytest.fixture
def plan_csv(tmp_path):
    return write_csv(tmp_path, [HEADER, *ROWS])


@pytest.fixture
def gail(db):
    """A member of the governance team, who may import."""
    return governance("gail")


# -- reading ------------------------------------------------------------------------------


def test_it_reads_other_headers_and_creates_the_strategy(plan_csv):
    summary = import_table(plan_csv, strategy_slug="plan", title="Engagement plan")

    strategy = Strategy.objects.get(slug="plan")
    assert strategy.title == "Engagement plan"
    assert [level.label for level in strategy.rag_levels.all()] == ["Green", "Amber", "Red"]
    assert summary["columns"] == {
        "Workstream": "area",
        "Description": "text",
        "Owner": "lead",
        "Due": "target",
        "Status": "mixed",  # ratings and "Completed": read cell by cell
    }
    assert (summary["header_row"], summary["rows_read"], summary["created"]) == (1, 5, 5)
    assert summary["strategy_created"] is True
    first = actions()[0]
    assert (first.ref, first.text, first.theme.title) == ("1.1", ROWS[0][1], "Engagement plan")
    assert (first.area.name, first.cited_commitments) == ("SUSEG", [1, 2])
    assert first.rag_level.label == "Green"


def test_it_reads_the_text_date_forms(plan_csv):
    import_table(plan_csv, strategy_slug="plan")

    got = [(a.target_date, a.target_precision) for a in actions()]
    assert got == [
        (datetime.date(2017, 3, 31), DatePrecision.MONTH),
        (datetime.date(2017, 3, 31), DatePrecision.DAY),
        (datetime.date(2017, 3, 31), DatePrecision.DAY),
        (datetime.date(2017, 3, 31), DatePrecision.MONTH),
        (datetime.date(2017, 6, 30), DatePrecision.QUARTER),
    ]


def test_it_finds_the_header_below_a_title_block(tmp_path):
    title_block = [["Engagement strategy: action plan"], ["Updated March 2017"], []]
    path = write_csv(tmp_path, [*title_block, HEADER, *ROWS])

    summary = import_table(path, strategy_slug="plan")

    assert summary["header_row"] == 4
    assert summary["created"] == 5
    assert Strategy.objects.get().title == "plan"  # after the file, without --title


def test_a_blank_area_cell_continues_the_area_above(plan_csv):
    import_table(plan_csv, strategy_slug="plan")

    assert [a.area.name for a in actions()] == ["SUSEG", "SUSEG", "SUSEG", "Comms", "Comms"]
    assert Area.objects.count() == 2


def test_completion_words_complete_the_action(tmp_path):
    rows = [
        ["Action", "Target date", "RAG"],
        ["Write it", "Done", ""],
        ["Send it", "Jun 17", "Done"],
    ]
    import_table(write_csv(tmp_path, rows), strategy_slug="plan")

    written, sent = actions()
    assert written.status == sent.status == ActionStatus.COMPLETE
    assert (written.target_date, written.target_text) == (None, "Done")
    assert sent.target_date == datetime.date(2017, 6, 30)


def test_rows_without_action_text_are_skipped_with_their_row_number(tmp_path):
    rows = [HEADER, ROWS[0], ["Comms", "", "EM", "", ""], ["", "Launch", "EM", "", ""]]
    summary = import_table(write_csv(tmp_path, rows), strategy_slug="plan")

    assert summary["skipped"] == [{"row": 3, "reason": "no action text"}]
    assert (summary["rows_read"], summary["created"]) == (3, 2)
    assert actions()[1].area.name == "Comms"  # the skipped row still names the area below


def test_refs_give_the_theme_and_number(tmp_path):
    rows = [["Ref", "Action"], ["1.2", "First"], ["2.1", "Second"], ["1.10", "Third"]]
    import_table(write_csv(tmp_path, rows), strategy_slug="plan", title="Plan")

    assert [(a.ref, a.text) for a in actions()] == [
        ("1.2", "First"),
        ("1.10", "Third"),
        ("2.1", "Second"),
    ]


def test_theme_option_puts_every_action_in_that_theme(plan_csv):
    import_table(plan_csv, strategy_slug="plan", theme=3, title="Involvement")

    assert {a.ref for a in actions()} == {"3.1", "3.2", "3.3", "3.4", "3.5"}
    assert actions()[0].theme.title == "Involvement"


def test_map_says_what_a_column_holds(tmp_path):
    rows = [["No.", "Thing to do", "Who", "When"], ["1", "Draft", "EM", "Mar 17"]]
    summary = import_table(
        write_csv(tmp_path, rows),
        strategy_slug="plan",
        mapping={"Thing to do": "text", "who": "Owner", "When": "due"},
    )

    assert summary["columns"] == {
        "No.": "ref",
        "Thing to do": "text",
        "Who": "lead",
        "When": "target",
    }
    action = actions()[0]
    assert (action.text, action.lead_text, action.target_text) == ("Draft", "EM", "Mar 17")


def test_map_can_leave_a_column_unread(plan_csv):
    summary = import_table(plan_csv, strategy_slug="plan", mapping={"Owner": "ignore"})

    assert "Owner" not in summary["columns"]
    assert {a.lead_text for a in actions()} == {""}


def test_map_refuses_a_field_that_does_not_exist(plan_csv):
    with pytest.raises(PaperError, match=r'"colour" is not a field; the fields are ref, area'):
        import_table(plan_csv, strategy_slug="plan", mapping={"Owner": "colour"})


def test_map_refuses_a_header_the_table_does_not_have(plan_csv):
    with pytest.raises(PaperError) as caught:
        import_table(plan_csv, strategy_slug="plan", mapping={"Who": "lead"})

    assert str(caught.value) == (
        'plan.csv, row 1: no column headed "Who" (from --map); the headers found are: '
        "Workstream, Description, Owner, Due, Status"
    )


def test_a_table_without_an_action_column_is_refused_listing_its_headers(tmp_path):
    path = write_csv(tmp_path, [["Ref", "Owner", "Due", "Status"], ["1", "EM", "Mar 17", "Red"]])

    with pytest.raises(PaperError) as caught:
        import_table(path, strategy_slug="plan")

    message = str(caught.value)
    assert message.startswith("plan.csv, row 1: no column for the action")
    assert "the headers found are: Ref, Owner, Due, Status" in message
    assert "\n" not in message
    assert Strategy.objects.count() == 0


def test_other_dates_are_not_taken_for_the_target(tmp_path):
    rows = [
        ["Action", "Start date", "Last updated", "Target date"],
        ["One", "Jan 17", "x", "Mar 17"],
    ]

    summary = import_table(write_csv(tmp_path, rows), strategy_slug="plan")

    assert summary["columns"] == {"Action": "text", "Target date": "target"}


def test_the_missing_action_column_is_reported_from_the_header_not_a_title(tmp_path):
    rows = [["Action plan 2017"], ["Ref", "Owner", "Due"], ["1", "EM", "Mar 17"]]

    with pytest.raises(PaperError, match="row 2: .* headers found are: Ref, Owner, Due;"):
        import_table(write_csv(tmp_path, rows), strategy_slug="plan")


def test_a_commitments_column_links_actions_by_number_or_by_words(tmp_path):
    strategy = make_strategy(slug="plan")
    make_theme(strategy, 1, commitments=3)
    rows = [
        ["Action", "Commitments"],
        ["One", "1, 3"],
        ["Two", "Involve carers in every review"],
        ["Three", "involve carers in every  review"],
    ]
    path = write_csv(tmp_path, rows)

    import_table(path, strategy_slug="plan")
    summary = import_table(path, strategy_slug="plan")

    one, two, three = actions()
    assert [c.number for c in one.commitments.all()] == [1, 3]
    assert [c.number for c in two.commitments.all()] == [4]
    assert list(three.commitments.all()) == list(two.commitments.all())
    assert summary["unchanged"] == 3
    assert strategy.themes.get().commitments.count() == 4


def test_a_ref_twice_is_refused_naming_both_rows(tmp_path):
    rows = [["Ref", "Action"], ["1.1", "First"], ["1.1", "Again"]]

    with pytest.raises(PaperError, match="plan.csv, row 3: the ref 1.1 is also on row 2"):
        import_table(write_csv(tmp_path, rows), strategy_slug="plan")


# -- ratings ------------------------------------------------------------------------------


def test_ratings_match_the_scale_and_its_aliases_ignoring_case(tmp_path):
    strategy = make_strategy(slug="plan")
    amber = strategy.rag_levels.get(label="Amber")
    amber.aliases = ["Yellow"]
    amber.save()
    rows = [["Action", "RAG"], ["One", "GREEN"], ["Two", "yellow"], ["Three", " red "]]

    import_table(write_csv(tmp_path, rows), strategy_slug="plan")

    assert [a.rag_level.label for a in actions()] == ["Green", "Amber", "Red"]
    assert [a.rag_text for a in actions()] == ["GREEN", "yellow", "red"]


def test_a_rating_the_scale_does_not_know_is_kept_and_reported(tmp_path):
    rows = [["Action", "RAG"], ["One", "Green"], ["Two", "Purple"]]

    summary = import_table(write_csv(tmp_path, rows), strategy_slug="plan")

    purple = actions()[1]
    assert (purple.rag_level, purple.rag_text) == (None, "Purple")
    assert summary["findings"]["RAG_NOT_IN_KEY"] == 1


def test_a_level_meaning_complete_completes_the_action(tmp_path):
    strategy = make_strategy(slug="plan")
    RagLevel.objects.create(strategy=strategy, position=4, label="Blue", means_complete=True)

    import_table(write_csv(tmp_path, [["Action", "RAG"], ["One", "blue"]]), strategy_slug="plan")

    assert actions()[0].status == ActionStatus.COMPLETE


def test_a_rag_column_and_a_status_column_are_read_apart(tmp_path):
    rows = [["Action", "RAG", "Status"], ["One", "Amber", "Not started"], ["Two", "Green", "Done"]]

    summary = import_table(write_csv(tmp_path, rows), strategy_slug="plan")

    assert summary["columns"] == {"Action": "text", "RAG": "rag", "Status": "status"}
    assert [(a.rag_text, a.status) for a in actions()] == [
        ("Amber", ActionStatus.NOT_STARTED),
        ("Green", ActionStatus.COMPLETE),
    ]


# -- leads --------------------------------------------------------------------------------


def test_leads_resolve_to_the_strategys_roles_and_others_are_kept_as_written(tmp_path):
    strategy = make_strategy(slug="plan")
    manager = make_role(strategy, "Engagement Manager", "EM")
    path = write_csv(
        tmp_path, [["Action", "Lead"], ["One", "EM / Jo Bloggs"], ["Two", "jo bloggs"]]
    )

    first = import_table(path, strategy_slug="plan")
    import_table(path, strategy_slug="plan")

    one, two = actions()
    assert list(one.leads.all()) == [manager]
    assert list(two.leads.all()) == []
    assert (one.lead_text, two.lead_text) == ("EM / Jo Bloggs", "jo bloggs")
    assert Role.objects.count() == 1
    assert (first["roles_created"], first["leads_unmatched"]) == ([], ["Jo Bloggs"])
    assert first["findings"]["LEAD_UNRESOLVED"] == 1
    assert first["findings"]["LEAD_MISSING"] == 1


# -- re-importing -------------------------------------------------------------------------


def test_reimporting_the_same_file_changes_nothing(plan_csv):
    import_table(plan_csv, strategy_slug="plan")
    before = database_counts()

    summary = import_table(plan_csv, strategy_slug="plan")

    assert (summary["created"], summary["updated"], summary["unchanged"]) == (0, 0, 5)
    assert summary["strategy_created"] is False
    assert database_counts() == before


def test_reimporting_updates_matched_actions_with_one_history_row_each(tmp_path, gail):
    import_table(write_csv(tmp_path, [HEADER, *ROWS]), strategy_slug="plan", user=gail)
    changed = [list(row) for row in ROWS]
    changed[1][3] = "Jun 17"  # target moved
    changed[4][2] = "Head of CG"  # lead changed
    path = write_csv(tmp_path, [HEADER, *changed], name="plan-april.csv")

    summary = import_table(path, strategy_slug="plan", user=gail)

    assert (summary["created"], summary["updated"], summary["unchanged"]) == (0, 2, 3)
    assert Action.objects.count() == 5
    moved, relead = actions()[1], actions()[4]
    assert moved.target_date == datetime.date(2017, 6, 30)
    assert moved.original_target_date == datetime.date(2017, 3, 31)
    assert [r.title for r in relead.leads.all()] == ["Head of CG"]
    for action in (moved, relead):
        assert action.version == 2
        latest, first = action.history.all()[:2]
        assert action.history.count() == 2
        assert (latest.history_user, latest.history_change_reason) == (
            gail,
            "Imported from plan-april.csv",
        )
        assert first.history_change_reason == "Imported from plan.csv"
        assert {link.role_id for link in latest.leads.all()} == {r.pk for r in action.leads.all()}
    assert actions()[0].history.count() == 1


def test_reimporting_matches_rows_with_refs_by_ref(tmp_path):
    import_table(write_csv(tmp_path, [["Ref", "Action"], ["1.1", "Old words"]]), strategy_slug="p")

    summary = import_table(
        write_csv(tmp_path, [["Ref", "Action"], ["1.1", "New words"], ["1.2", "Another"]]),
        strategy_slug="p",
    )

    assert (summary["created"], summary["updated"]) == (1, 1)
    assert [(a.ref, a.text) for a in actions("p")] == [("1.1", "New words"), ("1.2", "Another")]


def test_reimporting_without_refs_matches_by_text_and_numbers_new_actions_after(tmp_path):
    strategy = make_strategy(slug="plan")
    theme = make_theme(strategy, 1)
    kept = make_action(theme, text="Recruit  experts by EXPERIENCE")
    Action.objects.filter(pk=kept.pk).update(number=4)
    rows = [["Action"], ["Recruit experts by experience"], ["Something new"]]

    summary = import_table(write_csv(tmp_path, rows), strategy_slug="plan")

    assert (summary["created"], summary["updated"]) == (1, 1)
    assert [(a.ref, a.text) for a in actions()] == [
        ("1.4", "Recruit experts by experience"),
        ("1.5", "Something new"),
    ]


def test_a_reimport_leaves_alone_what_the_table_has_no_column_for(tmp_path):
    strategy = make_strategy(slug="plan")
    make_action(make_theme(strategy, 1), text="One", progress="Going well")

    import_table(
        write_csv(tmp_path, [["Ref", "Action", "RAG"], ["1", "One", "Green"]]), strategy_slug="plan"
    )

    assert actions()[0].progress == "Going well"


# -- all or nothing -----------------------------------------------------------------------


def test_a_bad_date_on_row_7_is_refused_and_nothing_is_written(tmp_path):
    rows = [HEADER, *ROWS]
    rows.append(["Comms", "Thank the volunteers", "EM", "Spring", "Green"])  # row 7
    path = write_csv(tmp_path, rows)
    before = database_counts()

    with pytest.raises(PaperError) as caught:
        import_table(path, strategy_slug="plan")

    assert str(caught.value).startswith('plan.csv, row 7: the target date "Spring" is not a date')
    assert caught.value.line == 7
    assert database_counts() == before


def test_a_failed_reimport_leaves_the_strategy_as_it_was(tmp_path, plan_csv):
    import_table(plan_csv, strategy_slug="plan")
    before = database_counts()
    rows = [HEADER, *ROWS, ["", "More", "EM", "Sometime", ""]]

    with pytest.raises(PaperError, match="row 7"):
        import_table(write_csv(tmp_path, rows, name="again.csv"), strategy_slug="plan")

    assert database_counts() == before


def test_a_dry_run_writes_nothing_and_says_what_it_would_do(plan_csv, tmp_path):
    rows = [HEADER, *ROWS, ["", "Paint it", "EM", "Mar 17", "Purple"]]
    before = database_counts()

    summary = import_table(write_csv(tmp_path, rows), strategy_slug="plan", dry_run=True)

    assert (summary["dry_run"], summary["created"], summary["strategy_created"]) == (True, 6, True)
    assert summary["findings"]["RAG_NOT_IN_KEY"] == 1  # "Purple": kept, and reported
    assert database_counts() == before


def test_a_dry_run_reimport_counts_updates_without_writing_them(plan_csv, tmp_path):
    import_table(plan_csv, strategy_slug="plan")
    changed = [list(row) for row in ROWS]
    changed[0][4] = "Red"
    before = database_counts()

    summary = import_table(
        write_csv(tmp_path, [HEADER, *changed], name="b.csv"), strategy_slug="plan", dry_run=True
    )

    assert (summary["updated"], summary["unchanged"]) == (1, 4)
    assert database_counts() == before
    assert actions()[0].rag_text == "Green"


def test_the_import_is_one_change_by_the_person_who_made_it(plan_csv, gail):
    import_table(plan_csv, strategy_slug="plan", user=gail)

    strategy = Strategy.objects.get()
    history = [
        *strategy.history.all(),
        *RagLevel.history.filter(strategy_id=strategy.pk),
        *Action.history.all(),
        *Area.history.all(),
        *Role.history.all(),
    ]
    assert len(history) == 1 + 3 + 5 + 2 + 3
    assert {(h.history_user, h.history_change_reason) for h in history} == {
        (gail, "Imported from plan.csv")
    }


# -- other files ---------------------------------------------------------------------------


def test_it_reads_utf8_with_a_byte_order_mark_and_windows_1252(tmp_path):
    rows = [["Action", "Lead"], ["Budget of £5,000 – agreed", "EM"]]
    import_table(write_csv(tmp_path, rows, "bom.csv", "utf-8-sig"), strategy_slug="a")
    import_table(write_csv(tmp_path, rows, "ansi.csv", "cp1252"), strategy_slug="b")

    assert actions("a")[0].text == actions("b")[0].text == "Budget of £5,000 – agreed"


def test_it_reads_xlsx_with_real_dates_and_quarters(tmp_path):
    rows = [
        ["Engagement action plan"],
        [],
        ["Ref", "Action", "Lead", "Target date", "RAG"],
        [1.1, "Recruit", "EM", datetime.datetime(2017, 3, 31), "Green"],
        [1.2, "Train", "EM", "Q3 2017/18", "Amber"],
    ]
    path = write_xlsx(tmp_path, rows)

    summary = import_table(path, strategy_slug="plan", sheet="Actions")

    assert (summary["sheet"], summary["header_row"], summary["created"]) == ("Actions", 3, 2)
    recruit, train = actions()
    assert recruit.theme.title == "Actions"
    assert (recruit.ref, recruit.target_date, recruit.target_precision) == (
        "1.1",
        datetime.date(2017, 3, 31),
        DatePrecision.DAY,
    )
    assert (train.target_date, train.target_precision) == (
        datetime.date(2017, 12, 31),
        DatePrecision.QUARTER,
    )


def test_a_bad_xlsx_cell_names_the_sheet_and_row(tmp_path):
    rows = [["Action", "Due"], ["One", "Mar 17"], ["Two", "When we can"]]

    with pytest.raises(PaperError, match=r'plan.xlsx, sheet "Actions", row 3: the target date'):
        import_table(write_xlsx(tmp_path, rows), strategy_slug="plan")


def test_numeric_refs_that_excel_has_shortened_are_refused_with_advice(tmp_path):
    rows = [["Ref", "Action"], [1.1, "First"], [1.10, "Tenth"]]

    with pytest.raises(PaperError, match="row 3: the ref 1.1 is also on row 2 .*format the ref"):
        import_table(write_xlsx(tmp_path, rows), strategy_slug="plan")


def test_it_reads_a_word_table(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=0, cols=3)
    for row in [["Area", "Action", "Deadline"], ["QI", "Map the pathway", "Sept 17"]]:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    path = tmp_path / "plan.docx"
    document.save(path)

    summary = import_table(path, strategy_slug="plan")

    assert (summary["sheet"], summary["created"]) == ("table 1", 1)
    assert actions()[0].target_date == datetime.date(2017, 9, 30)


# -- preview and the command --------------------------------------------------------------


def test_preview_shows_columns_first_rows_and_every_problem_row(tmp_path):
    rows = [HEADER, *ROWS, ["", "More", "EM", "Sometime", "Purple"], ["", "Last", "", "Soon", ""]]
    table = read_table(write_csv(tmp_path, rows))

    shown = preview(table, None)

    assert shown.header_row == 1 and shown.columns["Owner"] == "lead"
    assert [row.text for row in shown.rows] == [row[1] for row in ROWS]
    assert shown.rows[1].level == "Amber" and shown.rows[4].complete
    assert [p["row"] for p in shown.problems] == [7, 8]
    assert shown.unknown_ratings == []  # "Completed" in the Status column is a status
    assert Strategy.objects.count() == 0


def test_the_command_prints_a_json_summary(plan_csv):
    out = io.StringIO()

    call_command(
        "import_table",
        str(plan_csv),
        "--strategy",
        "plan",
        "--title",
        "Engagement",
        "--map",
        "Owner=lead",
        "Due=target",
        stdout=out,
    )

    summary = json.loads(out.getvalue())
    assert (summary["strategy"], summary["created"], summary["dry_run"]) == ("plan", 5, False)
    assert (summary["columns"]["Owner"], summary["skipped"]) == ("lead", [])
    assert Strategy.objects.get().title == "Engagement"


def test_the_command_stops_bad_input_with_one_line(tmp_path):
    path = write_csv(tmp_path, [["Ref", "Owner"], ["1", "EM"]])

    with pytest.raises(CommandError) as caught:
        call_command("import_table", str(path), "--strategy", "plan", "--dry-run")

    assert str(caught.value).startswith("plan.csv, row 1: no column for the action")
    assert "\n" not in str(caught.value)
