"""The plan page's actions as a CSV file or an Excel workbook, with the page's filters.

Both take the plan page's GET parameters (theme, area, lead, rag, status, overdue), so
the "Download" links on the page carry the filters the reader applied and the file
holds exactly the actions the page shows: one row per action, in plan order.

Every cell was typed by someone, and a spreadsheet may run a cell that begins with
= + - @, a tab or a carriage return as a formula ("CSV injection"). Following OWASP's
advice, such a CSV cell is written with a single quote in front ("'=1+1"), which
Excel and LibreOffice show as text; in the workbook the cell is stored as text with
Excel's quote prefix, so its value stays exactly as typed. (Excel also reads some CSV
cells as numbers or dates, ref "1.10" as 1.1 for one; the workbook keeps every text as
text, so it is the download for Excel.)

"Last updated" is the day of the latest change to the action recorded in its history
(an accepted update, an edit in the admin, the import), in the site's time zone. The
last two columns are the ref as the tracker the action was imported from wrote it
("007", "A12") and where the action came from (its meeting, paper or agenda item).

The files cost the same number of queries however many actions they hold (two: the
actions' rows, and their leads), and neither holds the plan in memory: the rows are read
as plain values (``plan_rows``), a chunk at a time, and the CSV is sent as it is
written; the workbook is written row by row to a temporary file, then sent from it.
"""

import csv
import io
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from planboard.lib import clock
from planboard.lib.spreadsheets import csv_cell
from planboard.plans.models import Strategy
from planboard.web.export_rows import plan_rows

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Heading, width in characters, whether long text wraps.
COLUMNS = (
    ("Ref", 7, False),
    ("Theme", 28, True),
    ("Area", 22, True),
    ("Commitments", 14, True),
    ("Action", 50, True),
    ("Progress", 60, True),
    ("Target", 12, False),
    ("Status", 13, False),
    ("RAG", 12, True),
    ("Leads", 26, True),
    ("Last updated", 13, False),
    ("Ref in the tracker", 12, False),
    ("Where it came from", 40, True),
)
RAG_COLUMN = 9
DATE_COLUMN = 11
# Rows of CSV sent at a time: large enough that sending costs little, small enough
# that a 50,000-row file never sits in memory.
CSV_ROWS_PER_CHUNK = 500


@require_GET
def plan_csv(request, slug):
    strategy = get_object_or_404(Strategy, slug=slug)
    rows = plan_rows(request, strategy)
    response = StreamingHttpResponse(csv_chunks(rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(strategy, "csv")}"'
    return response


def csv_chunks(rows):
    """The CSV file in pieces of bytes: a byte order mark and the header, then the rows."""
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow([heading for heading, _, _ in COLUMNS])
    # The byte order mark tells Excel the file is UTF-8, so "–" and "é" open intact.
    yield "\ufeff".encode() + _take(output)
    written = 0
    for cells, _ in rows:
        writer.writerow([csv_cell(value) for value in cells])
        written += 1
        if written % CSV_ROWS_PER_CHUNK == 0:
            yield _take(output)
    if output.tell():
        yield _take(output)


def _take(output: io.StringIO) -> bytes:
    chunk = output.getvalue().encode("utf-8")
    output.seek(0)
    output.truncate()
    return chunk


@require_GET
def plan_xlsx(request, slug):
    strategy = get_object_or_404(Strategy, slug=slug)
    file = tempfile.TemporaryFile()
    try:
        # openpyxl is loaded on the first download, not with the URLs: every process that
        # serves pages or runs a command would otherwise spend a good part of a second on it.
        from planboard.web.plan_workbook import write_workbook

        write_workbook(file, strategy, plan_rows(request, strategy))
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return FileResponse(
        file, as_attachment=True, filename=_filename(strategy, "xlsx"), content_type=XLSX_TYPE
    )


def _filename(strategy, extension: str) -> str:
    return f"{strategy.slug}-actions-{clock.today():%Y-%m-%d}.{extension}"
