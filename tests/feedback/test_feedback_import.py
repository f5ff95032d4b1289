"""Importing feedback items from a table: headers, stable ids, both texts, tags,
re-import, all or nothing, and the command."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from planboard.feedback.models import FeedbackItem, Source
from planboard.imports.feedback_items import import_feedback
from planboard.imports.feedback_tables import TableRefused
from tests.bounds import database_fingerprint
from tests.feedback.helpers import make_feedback_plan
from tests.shared import shared


@shared
def plan(db):
    strategy, adults, ward, team, action = make_feedback_plan()
    return strategy


def _items(strategy):
    return list(FeedbackItem.objects.filter(strategy=strategy).order_by("source_id"))


def test_comments_with_ids_codes_answers_and_tags(plan):
    data = (
        "Comment ID,Date,Ward Code,Comment,FFT score,Respondent,Category,Raised concern\n"
        "C1,03/08/2025,RXG10,The nurses were kind.,5,Service user,Staff attitude,No\n"
        'C2,2025-08-04,,"Waited hours; nobody said why.",Poor,Carer,"Waiting; Communication",yes\n'
    )
    summary = import_feedback(plan, data.encode(), "comments.csv", user=None)
    assert summary.line() == "Feedback items: 2 were created, 0 updated, 0 unchanged."
    first, second = _items(plan)
    assert (first.source, first.source_id, first.given_on) == (
        Source.FFT_COMMENT,
        "C1",
        datetime.date(2025, 8, 3),
    )
    assert [s.name for s in first.services.all()] == ["Willow ward"]
    assert {(t.label, t.polarity) for t in first.tags.all()} == {
        ("Staff attitude", "neutral"),
        ("FFT: Very good", "positive"),
    }
    assert (first.author_role, first.raised_concern) == ("Service user", False)
    assert second.raised_concern and list(second.services.all()) == []
    assert {t.label for t in second.tags.all()} == {"Waiting", "Communication", "FFT: Poor"}


def test_a_second_import_updates_and_rows_without_ids_keep_a_stable_one(plan):
    data = "Date,Location 1,Location 2,What was good?,What could be better?\n"
    row = "01/09/2025,Adult services,Crisis team,Quick to answer.,Parking.\n"
    import_feedback(plan, (data + row).encode(), "a.csv", user=None, source=Source.SURVEY)
    again = import_feedback(plan, (data + row).encode(), "a.csv", user=None, source=Source.SURVEY)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    (item,) = _items(plan)
    assert item.source_id.startswith("row-") and len(item.source_id) == 20
    assert item.text == "What was good: Quick to answer.\n\nWhat could be improved: Parking."
    # "Location 2" is more specific than "Location 1".
    assert [s.name for s in item.services.all()] == ["Crisis team"]
    changed = "01/09/2025,Adult services,Crisis team,Quick to answer.,Parking.,Yes\n"
    header = data.strip() + ",Concern\n"
    result = import_feedback(
        plan, (header + changed).encode(), "a.csv", user=None, source=Source.SURVEY
    )
    assert (result.created, result.updated) == (0, 1)
    assert len(_items(plan)) == 1 and _items(plan)[0].raised_concern


def test_a_dry_run_and_a_bad_file_write_nothing(plan):
    before = database_fingerprint()
    good = "ID,Comment\nA,Lovely.\nB,Cold food.\n"
    summary = import_feedback(plan, good.encode(), "c.csv", user=None, dry_run=True)
    assert (summary.created, summary.dry_run) == (2, True)
    assert database_fingerprint() == before
    bad = (
        "ID,Date,Comment,Concern,Rating\n"
        "A,31/02/2025,Lovely.,no,Good\n"
        "B,01/03/2025,Cold food.,maybe,Good\n"
        "A,02/03/2025,Again.,no,Great\n"
        "C,,,,\n"
    )
    with pytest.raises(TableRefused) as refused:
        import_feedback(plan, bad.encode(), "bad.csv", user=None)
    assert refused.value.lines == [
        'bad.csv, row 2, column Date: "31/02/2025" is not a real date '
        '(use e.g. "Mar 17", "June 2017" or "31/03/2017")',
        'bad.csv, row 3, column Concern: "maybe" is not yes or no',
        'bad.csv, row 4, column Rating: "Great" is not an answer '
        "(Very good ... Very poor, or 1 to 5)",
        "bad.csv, row 4, column ID: A is also on row 2",
        "bad.csv, row 5: there is no comment in it",
    ]
    assert database_fingerprint() == before


def test_a_workbook_with_a_title_block(plan):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Complaints received, Q2 2025/26"])
    sheet.append([])
    sheet.append(["Reference", "Date received", "Service", "Subject", "Details"])
    sheet.append(["CMP-1", datetime.datetime(2025, 7, 1), "Willow ward", "Letters", "Late."])
    out = io.BytesIO()
    book.save(out)
    import_feedback(plan, out.getvalue(), "complaints.xlsx", user=None, source=Source.COMPLAINT)
    (item,) = _items(plan)
    assert (item.source, item.source_id, item.title, item.text) == (
        Source.COMPLAINT,
        "CMP-1",
        "Letters",
        "Late.",
    )
    assert item.given_on == datetime.date(2025, 7, 1)
    assert [s.name for s in item.services.all()] == ["Willow ward"]


def test_a_file_without_comments_is_refused(plan):
    with pytest.raises(TableRefused, match="no column of comments"):
        import_feedback(plan, b"ID,Date\n1,01/01/2025\n", "x.csv", user=None)


def test_the_command(plan, tmp_path):
    path = tmp_path / "comments.csv"
    path.write_text("ID,Comment\nA,Lovely.\n")
    out = io.StringIO()
    call_command(
        "import_feedback", "--strategy", plan.slug, str(path), "--source", "survey", stdout=out
    )
    assert out.getvalue().strip() == "Feedback items: 1 were created, 0 updated, 0 unchanged."
    assert _items(plan)[0].source == Source.SURVEY
    path.write_text("ID,Comment\nA,\nB,Fine.\nB,Fine again.\n")
    with pytest.raises(CommandError, match="comments.csv, row 4, column ID: B is also on row 3"):
        call_command("import_feedback", "--strategy", plan.slug, str(path))


def test_an_fft_answer_column_is_not_read_as_what_was_good(plan):
    import_feedback(plan, b"ID,Comment,Good,Month\nA,Fine.,3,Aug-25\n", "c.csv", user=None)
    assert _items(plan)[0].text == "Fine."
