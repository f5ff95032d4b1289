"""The readers and the writer say how far they have got, for the page of a large import:
the rows the table holds, counted before it is read, then every ``EVERY`` rows read or
actions written; outside ``progress.reporting`` they say nothing."""

import io

import docx
import pytest

from planboard.imports import progress
from planboard.imports.table_import import import_table
from planboard.imports.tables import read_table_bytes
from tests.imports.hostile import builders
from tests.imports.large import tracker_csv


def reports_of(read) -> list[tuple[int, int]]:
    heard = []
    with progress.reporting(lambda done, total: heard.append((done, total))):
        read()
    return heard


def word_table(rows: int) -> bytes:
    document = docx.Document()
    document.add_table(rows=2, cols=2)  # a smaller table beside the plan
    table = document.add_table(rows=rows, cols=2)
    # Each row's cells, found once: ``table.cell`` looks through every cell of the
    # table each time it is called, which took seconds for 601 rows.
    cells = [row.cells for row in table.rows]
    cells[0][0].text, cells[0][1].text = "Ref", "Action"
    for at in range(1, rows):
        cells[at][0].text, cells[at][1].text = f"1.{at}", f"Action {at}"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "total"),
    [
        (tracker_csv(600), "tracker.csv", 601),  # the header's line and one per action
        (builders.tracker(600), "tracker.xlsx", 603),  # a title block, a blank row, the header
        (word_table(601), "tracker.docx", 601),
    ],
)
def test_a_table_is_counted_before_it_is_read_then_reported_every_so_many_rows(data, name, total):
    heard = reports_of(lambda: read_table_bytes(data, name))

    assert heard[0] == (0, total)
    assert [done for done, _ in heard[1:]] == [250, 500]
    assert {seen for _, seen in heard} == {total}


def test_a_sheet_with_empty_rows_between_is_counted_to_its_last_row_number():
    rows = [["Ref", "Action"]]
    for n in range(1, 301):
        rows += [[], [f"1.{n}", "An action"]]  # the empty rows are not in the sheet's XML
    data = builders.xlsx(("Plan", rows))

    heard = reports_of(lambda: read_table_bytes(data, "plan.xlsx"))

    assert heard == [(0, 601), (499, 601)]


@pytest.mark.django_db
def test_the_writer_reports_the_actions_it_has_written(governor, small_plan):
    raw = read_table_bytes(tracker_csv(600), "tracker.csv")

    heard = reports_of(lambda: import_table(raw, strategy_slug="demo", user=governor))

    assert heard == [(0, 600), (250, 600), (500, 600)]


def test_reading_outside_reporting_says_nothing():
    assert read_table_bytes(tracker_csv(600), "tracker.csv").rows[-1].number == 601
