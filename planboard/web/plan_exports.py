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

The files cost the same number of queries however many actions they hold.
"""

import csv
import io

from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from planboard.lib import clock
from planboard.lib.spreadsheets import csv_cell
from planboard.plans.models import Action, Strategy
from planboard.web.display import lead_names, rag_badge, target_label
from planboard.web.filters import filter_actions
from planboard.web.forms import PlanFilterForm

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


def filtered_actions(request, strategy):
    """The strategy's actions the plan page's GET parameters select, in plan order.

    Each action comes with its theme, area, level and leads, and ``last_changed``:
    the time of its latest historical record.
    """
    form = PlanFilterForm.for_strategy(request.GET, strategy)
    history = Action.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_date")
    actions = (
        Action.objects.for_strategy(strategy)
        .in_plan()
        .select_related("theme", "area", "rag_level")
        .prefetch_related("leads")
        .annotate(last_changed=Subquery(history.values("history_date")[:1]))
        .in_plan_order()
    )
    return filter_actions(actions, form.criteria(), clock.today())


def action_row(action) -> list:
    """The cells of one action's row; "Last updated" is a date (or None)."""
    badge = rag_badge(action)
    changed = action.last_changed
    return [
        action.ref,
        str(action.theme),
        action.area.name if action.area else "",
        ", ".join(str(number) for number in action.cited_commitments or []),
        action.text,
        action.progress,
        target_label(action),
        action.get_status_display(),
        badge.text if badge.rated else "",
        lead_names(action),
        timezone.localdate(changed) if changed else None,
        action.ref_as_written,
        action.source,
    ]


@require_GET
def plan_csv(request, slug):
    strategy = get_object_or_404(Strategy, slug=slug)
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow([heading for heading, _, _ in COLUMNS])
    for action in filtered_actions(request, strategy):
        writer.writerow([csv_cell(value) for value in action_row(action)])
    # The byte order mark tells Excel the file is UTF-8, so "–" and "é" open intact.
    content = "\ufeff" + output.getvalue()
    return _attachment(content.encode("utf-8"), CSV_TYPE, _filename(strategy, "csv"))


@require_GET
def plan_xlsx(request, slug):
    # openpyxl is loaded on the first download, not with the URLs: every process that
    # serves pages or runs a command would otherwise spend a good part of a second on it.
    from openpyxl import Workbook

    from planboard.papers.formats.xlsx import add_styles

    strategy = get_object_or_404(Strategy, slug=slug)
    workbook = Workbook()
    workbook.properties.title = f"{strategy.title}: actions"
    workbook.properties.creator = "planboard"
    add_styles(workbook)
    sheet = workbook.active
    sheet.title = "Actions"
    write_actions(sheet, filtered_actions(request, strategy))
    output = io.BytesIO()
    workbook.save(output)
    return _attachment(output.getvalue(), XLSX_TYPE, _filename(strategy, "xlsx"))


def write_actions(sheet, actions) -> None:
    """A header row, frozen and filtered, then one row per action; every text is a text cell."""
    from planboard.papers.formats.xlsx import (
        TABLE_HEADING,
        TEXT,
        WRAPPED,
        rag_style,
        write_number,
        write_text,
    )

    for column, (heading, width, _) in enumerate(COLUMNS, start=1):
        write_text(sheet, 1, column, heading, TABLE_HEADING)
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = width
    styles = [WRAPPED if wraps else TEXT for _, _, wraps in COLUMNS]
    row = 1
    for row, action in enumerate(actions, start=2):
        for column, value in enumerate(action_row(action), start=1):
            if column == DATE_COLUMN:
                if value is not None:
                    write_number(sheet, row, column, value).number_format = "yyyy-mm-dd"
                continue
            style = styles[column - 1]
            if column == RAG_COLUMN and value:
                style = rag_style(rag_badge(action).colour)
            write_text(sheet, row, column, value, style)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{sheet.cell(row=1, column=len(COLUMNS)).column_letter}{row}"


def _filename(strategy, extension: str) -> str:
    return f"{strategy.slug}-actions-{clock.today():%Y-%m-%d}.{extension}"


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
