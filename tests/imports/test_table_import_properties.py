"""Random rows through the whole import: each file either imports or is refused with a
one-line message; nothing crashes, and a refused file leaves every table as it was."""

import csv
import datetime
import io

import pytest
from django.apps import apps
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from planboard.imports.errors import PaperError
from planboard.imports.table_import import import_table
from planboard.imports.tables import read_table_bytes

HEADER = ["Ref", "Workstream", "Action", "Progress", "Owner", "Due", "Status"]
WORDS = st.sampled_from(
    [
        "",
        "Green",
        "Amber",
        "Red",
        "Yellow",
        "Completed",
        "Done",
        "EM",
        "EM/OD Manager",
        "Mar 17",
        "31/03/2017",
        "2017-03-31",
        "Q1 2017/18",
        "March 2017",
        "Sept 17",
        "soon",
        "1.1",
        "1.2",
        "2.1",
        "1.10",
        "x",
        "=1+1",
        "@cmd",
        "SUSEG 1,2",
        "Head of SUEMU",
    ]
)
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30).map(
    str.strip
)
CELL = st.one_of(WORDS, TEXT)
# Mostly rows a tracker could hold, sometimes anything at all in any column.
GOOD_ROW = st.tuples(
    st.sampled_from(["", "1.1", "1.2", "1.3", "2.1", "2.2"]),
    st.sampled_from(["", "SUSEG", "Quality Improvement Team", "SUSEG 1,2"]),
    st.text(alphabet="abcdefghij klmnop=+-@", min_size=1, max_size=30).filter(str.strip),
    st.one_of(st.just(""), TEXT),
    st.sampled_from(["", "EM", "EM/OD Manager", "Head of SUEMU", "=cmd"]),
    st.sampled_from(["", "Mar 17", "31/03/2017", "2017-03-31", "Q1 2017/18", "Completed"]),
    st.sampled_from(["", "Green", "Amber", "Red", "Yellow", "Done"]),
).map(list)
ROW = st.one_of(GOOD_ROW, GOOD_ROW, GOOD_ROW, st.lists(CELL, max_size=len(HEADER)))


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in ("plans", "people", "progress", "papers")
    }


def _csv(rows) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([HEADER, *rows])
    return buffer.getvalue().encode("utf-8")


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(ROW, max_size=12))
def test_random_rows_import_or_are_refused_without_writing_half(rows):
    with transaction.atomic():
        before = _counts()
        try:
            table = read_table_bytes(_csv(rows), "tracker.csv")
            summary = import_table(table, strategy_slug="tracker")
        except PaperError as error:
            event("refused")
            message = str(error)
            assert message.startswith("tracker.csv"), message
            assert "\n" not in message
            assert _counts() == before
        else:
            event("imported")
            assert summary["created"] + summary["updated"] + summary["unchanged"] >= 0
            created = _counts()["plans.Action"] - before["plans.Action"]
            assert created == summary["created"]
            assert summary["rows_read"] >= summary["created"]
        transaction.set_rollback(True)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    dates=st.lists(
        st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2040, 12, 31)),
        min_size=1,
        max_size=6,
    )
)
def test_real_excel_dates_become_target_dates(dates):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Action", "Due"])
    for number, day in enumerate(dates, 1):
        sheet.append([f"Action number {number}", day])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with transaction.atomic():
        table = read_table_bytes(buffer.getvalue(), "dates.xlsx")
        import_table(table, strategy_slug="dates")
        from planboard.plans.models import Action

        stored = list(
            Action.objects.filter(theme__strategy__slug="dates")
            .order_by("number")
            .values_list("target_date", flat=True)
        )
        assert stored == dates
        transaction.set_rollback(True)
