"""The downloads read as values and streamed hold exactly what the files held when every
action was read as a model instance: the CSV byte for byte, the workbook cell for cell
(value, type, style, quote prefix, number format) with the same widths, frozen header
and filter, for the plan page's filters, text that looks like a formula, blank areas,
several leads, text over several lines and characters a workbook cannot hold.

The files as they were made are rebuilt here from model instances (``old_csv``,
``old_workbook``), the way the download made them before it streamed.
"""

import csv
import io

import pytest
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from planboard.lib import clock
from planboard.lib.spreadsheets import csv_cell
from planboard.papers.formats.xlsx import (
    TABLE_HEADING,
    TEXT,
    WRAPPED,
    add_styles,
    rag_style,
    write_number,
    write_text,
)
from planboard.plans.models import Action, ActionStatus
from planboard.web.display import lead_names, rag_badge, target_label
from planboard.web.filters import filter_actions
from planboard.web.forms import PlanFilterForm
from planboard.web.plan_exports import COLUMNS, DATE_COLUMN, RAG_COLUMN
from tests.builders import make_large_plan


def old_actions(query, strategy):
    form = PlanFilterForm.for_strategy(query, strategy)
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


def old_row(action) -> list:
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


def old_csv(query, strategy) -> bytes:
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow([heading for heading, _, _ in COLUMNS])
    for action in old_actions(query, strategy):
        writer.writerow([csv_cell(value) for value in old_row(action)])
    return ("\ufeff" + output.getvalue()).encode("utf-8")


def old_workbook(query, strategy) -> bytes:
    workbook = Workbook()
    workbook.properties.title = f"{strategy.title}: actions"
    workbook.properties.creator = "planboard"
    add_styles(workbook)
    sheet = workbook.active
    sheet.title = "Actions"
    for column, (heading, width, _) in enumerate(COLUMNS, start=1):
        write_text(sheet, 1, column, heading, TABLE_HEADING)
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = width
    styles = [WRAPPED if wraps else TEXT for _, _, wraps in COLUMNS]
    row = 1
    for row, action in enumerate(old_actions(query, strategy), start=2):
        for column, value in enumerate(old_row(action), start=1):
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
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def cells(content: bytes):
    """What a reader of the workbook sees: its sheets, properties, layout and every cell."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Actions"]
    return {
        "sheets": workbook.sheetnames,
        "title": workbook.properties.title,
        "creator": workbook.properties.creator,
        "widths": {key: dim.width for key, dim in sheet.column_dimensions.items()},
        "frozen": sheet.freeze_panes,
        "filter": sheet.auto_filter.ref,
        "cells": [
            (
                cell.coordinate,
                cell.value,
                cell.data_type,
                cell.style,
                cell.quotePrefix,
                cell.number_format,
                cell.alignment.wrap_text,
                cell.font.b,
                cell.fill.fgColor.rgb,
            )
            for row in sheet.iter_rows()
            for cell in row
        ],
    }


@pytest.fixture
def varied(db):
    """A synthetic plan (ratings outside the key, rows without rating or lead) with text a
    spreadsheet would run, blank areas, several leads, several lines, a character no
    workbook holds, and a retired action."""
    strategy = make_large_plan(slug="varied", actions=60, themes=3)
    actions = list(Action.objects.for_strategy(strategy).in_plan_order())
    roles = list(strategy.roles.all())
    actions[0].text = "=1+1"
    actions[0].progress = 'First line\nsecond line, "quoted"\r\nthird – café'
    actions[1].area = None
    actions[1].ref_as_written = "007"
    actions[2].source = '=HYPERLINK("http://example.com","Agenda")'
    actions[2].progress = "@SUM(A1)\x01 and a bell"
    actions[3].lead_text = "-EM"
    actions[4].status = ActionStatus.COMPLETE
    actions[5].retired_on = clock.today()
    for action in actions[:6]:
        action.save()
    actions[6].leads.set(roles[:4])
    actions[3].leads.clear()
    return strategy


QUERIES = [
    "",
    "?theme=2",
    "?rag=not-rated",
    "?rag=not-in-key",
    "?status=complete",
    "?overdue=on",
    "?theme=1&status=in_progress",
]


@pytest.mark.parametrize("query", QUERIES)
def test_the_csv_is_byte_for_byte_the_file_made_from_instances(signed_in, varied, rf, query):
    response = signed_in.get(reverse("plan_csv", kwargs={"slug": "varied"}) + query)

    assert response.streaming
    content = response.getvalue()
    assert content == old_csv(rf.get("/" + query).GET, varied)
    assert content.count(b"\r\n") > 1  # rows, not only the header


@pytest.mark.parametrize("query", QUERIES)
def test_the_workbook_has_the_cells_of_the_one_made_from_instances(signed_in, varied, rf, query):
    response = signed_in.get(reverse("plan_xlsx", kwargs={"slug": "varied"}) + query)

    assert response.streaming
    assert cells(response.getvalue()) == cells(old_workbook(rf.get("/" + query).GET, varied))


def test_a_lead_filter_and_several_leads_read_the_same(signed_in, varied, rf):
    lead = varied.roles.first()  # one of the four leads of the seventh action
    query = f"?lead={lead.pk}"

    csv_file = signed_in.get(reverse("plan_csv", kwargs={"slug": "varied"}) + query).getvalue()
    xlsx_file = signed_in.get(reverse("plan_xlsx", kwargs={"slug": "varied"}) + query).getvalue()

    assert csv_file == old_csv(rf.get("/" + query).GET, varied)
    assert cells(xlsx_file) == cells(old_workbook(rf.get("/" + query).GET, varied))
    rows = list(csv.reader(io.StringIO(csv_file.decode("utf-8-sig"))))
    assert any(row[9].count(", ") == 3 for row in rows[1:])  # four leads on a row
