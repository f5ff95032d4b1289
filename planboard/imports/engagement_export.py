"""The activity register as a CSV file or an Excel workbook, under the headings the
import reads (``engagement_columns.HEADINGS``), so a register exported imports back to
the same activities, its directorates, links, lead and counts of people.

No private register is in it (no participant, involvement or reward): every signed-in
account may download it. Every cell was typed by someone, so it is written through the
project's spreadsheet rules (``lib.spreadsheets``): a CSV cell that a spreadsheet would
run as a formula gets a quote in front, a workbook's text stays a text cell. The file
costs the same few queries however many activities it holds.
"""

import csv
import io

from django.db.models import Prefetch

from planboard.engagement.models import Activity, Perspective
from planboard.feedback.models import Service
from planboard.imports.engagement_columns import HEADINGS
from planboard.lib.spreadsheets import csv_cell
from planboard.plans.models import Action, Commitment

ORDER = list(HEADINGS)
DATES = {"starts_on", "ends_on", "fed_back"}
WIDTHS = {"title": 40, "purpose": 50, "outcome": 50, "services": 28, "fed_back_how": 28}


def register_activities(strategy):
    """The strategy's activities, oldest first, with all the export shows."""
    by_plan = ("theme__number", "number")
    return (
        Activity.objects.filter(strategy=strategy)
        .select_related("lead")
        .prefetch_related(
            Prefetch("services", Service.objects.order_by("name")),
            Prefetch("commitments", Commitment.objects.select_related("theme").order_by(*by_plan)),
            Prefetch("actions", Action.objects.select_related("theme").order_by(*by_plan)),
            "participation",
        )
        .order_by("starts_on", "title", "pk")
    )


def activity_row(activity) -> dict:
    """The row's values by field: text, a date (or None), or a count."""
    counts = {row.perspective: row.count for row in activity.participation.all()}
    ends = activity.ends_on
    if ends is None and activity.ongoing:
        ends = "Ongoing"
    row = {
        "ref": activity.ref,
        "title": activity.title,
        "kind": activity.get_kind_display(),
        "services": "; ".join(s.name for s in activity.services.all()),
        "level": activity.get_level_display(),
        "starts_on": activity.starts_on,
        "ends_on": ends,
        "recurrence": activity.get_recurrence_display(),
        "purpose": activity.purpose,
        "commitments": "; ".join(c.ref for c in activity.commitments.all()),
        "actions": "; ".join(a.ref for a in activity.actions.all()),
        "lead": activity.lead.name if activity.lead else "",
        "outcome": activity.outcome,
        "fed_back": activity.fed_back_on,
        "fed_back_how": activity.fed_back_how,
    }
    for perspective in Perspective.values:
        row[f"count:{perspective}"] = counts.get(perspective)
    return row


def register_csv(strategy) -> bytes:
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow([HEADINGS[name] for name in ORDER])
    for activity in register_activities(strategy):
        row = activity_row(activity)
        writer.writerow([csv_cell(row[name]) for name in ORDER])
    # The byte order mark tells Excel the file is UTF-8.
    return ("\ufeff" + output.getvalue()).encode("utf-8")


def register_xlsx(strategy) -> bytes:
    # openpyxl is loaded on the first download, not with the URLs.
    from openpyxl import Workbook

    from planboard.papers.formats.xlsx_cells import (
        TABLE_HEADING,
        TEXT,
        WRAPPED,
        add_styles,
        write_date,
        write_number,
        write_text,
    )

    workbook = Workbook()
    workbook.properties.title = f"{strategy.title}: engagement activities"
    workbook.properties.creator = "planboard"
    add_styles(workbook)
    sheet = workbook.active
    sheet.title = "Activities"
    for column, name in enumerate(ORDER, start=1):
        write_text(sheet, 1, column, HEADINGS[name], TABLE_HEADING)
        letter = sheet.cell(row=1, column=column).column_letter
        sheet.column_dimensions[letter].width = WIDTHS.get(name, 14)
    row_number = 1
    for row_number, activity in enumerate(register_activities(strategy), start=2):
        row = activity_row(activity)
        for column, name in enumerate(ORDER, start=1):
            value = row[name]
            if value is None:
                continue
            if name in DATES and not isinstance(value, str):
                write_date(sheet, row_number, column, value, "yyyy-mm-dd")
            elif name.startswith("count:"):
                write_number(sheet, row_number, column, value)
            else:
                write_text(sheet, row_number, column, value, WRAPPED if name in WIDTHS else TEXT)
    sheet.freeze_panes = "A2"
    last = sheet.cell(row=1, column=len(ORDER)).column_letter
    sheet.auto_filter.ref = f"A1:{last}{row_number}"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
