"""The import page with large files: hostile sheets refused quickly, a tracker of 10,000
actions accepted and one of 10,001 refused, and an upload read once, never again by
the preview, the mapping or the import."""

import datetime
import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from planboard.imports import tables_csv, tables_sheet, tables_xlsx
from planboard.imports.models import PendingImport
from planboard.imports.pending import read_pending
from planboard.imports.tables import RawRow, RawTable
from planboard.plans.models import Action
from tests.bounds import cost_of, database_fingerprint
from tests.imports.hostile import builders
from tests.web.pages import form_data

pytestmark = pytest.mark.django_db

IMPORT = "/strategies/demo/import/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, data: bytes, name: str = "tracker.xlsx"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data, content_type=XLSX)})


def file_error(response) -> str:
    found = re.search(r'<a href="#import-file"[^>]*>\s*(.*?)\s*</a>', response.text, re.S)
    return html.unescape(found.group(1))


@pytest.mark.parametrize(
    "build", [builders.million_empty_rows, builders.rows_of_formatted_empty_cells]
)
def test_a_sheet_of_empty_rows_is_refused_quickly(build, client_for, governor, small_plan):
    client = client_for(governor)
    data = build()
    client.get(IMPORT)  # the page's templates are compiled once, as in a running server
    before = database_fingerprint()

    cost = cost_of(upload, client, data)

    assert cost.error is None and cost.result.status_code == 400
    assert cost.within_limits(), cost
    assert file_error(cost.result) == (
        'tracker.xlsx: the sheet "Plan" takes the file past 1,000,000 cells, counting empty '
        "ones, more than a table of actions has; delete the empty rows and columns around the "
        "table"
    )
    assert database_fingerprint() == before


def test_a_tracker_of_ten_thousand_actions_is_accepted(client_for, governor, small_plan):
    client = client_for(governor)

    response = upload(client, builders.tracker(10_000))

    assert response.status_code == 302, file_error(response)
    page = client.get(response.url).text
    assert "10000 actions were read from tracker.xlsx, Plan, below the header in row 3" in page
    assert "Import 10000 actions" in page


def test_a_tracker_of_ten_thousand_and_one_actions_is_refused(client_for, governor, small_plan):
    client = client_for(governor)
    before = database_fingerprint()

    response = upload(client, builders.tracker(10_001))

    assert response.status_code == 400
    assert file_error(response) == (
        'tracker.xlsx, sheet "Plan", row 10004: the table has more than 10,000 actions, the '
        "most that can be imported"
    )
    assert database_fingerprint() == before


def test_the_upload_is_read_once_and_never_again(client_for, governor, small_plan, monkeypatch):
    client = client_for(governor)
    url = upload(client, builders.tracker(3)).url

    def read_again(*args, **kwargs):
        pytest.fail("the uploaded file was read again")

    for module, name in (
        (tables_xlsx, "read_xlsx"),
        (tables_csv, "read_csv"),
        (tables_sheet.SheetRows, "read"),
    ):
        monkeypatch.setattr(module, name, read_again)

    page = client.get(url).text
    assert "Import 3 actions" in page and "Action 3" in page
    assert "Import 3 actions" in client.get(url).text
    data = form_data(page)
    data.pop("csrfmiddlewaretoken", None)
    assert client.post(url, data).status_code == 302
    done = client.post(url + "confirm/")

    assert done.status_code == 302 and done.url == "/strategies/demo/"
    assert Action.objects.filter(text__in=["Action 1", "Action 2", "Action 3"]).count() == 3
    assert not PendingImport.objects.exists()


def test_the_table_kept_is_the_table_read(client_for, governor, small_plan):
    upload(client_for(governor), builders.tracker(2))

    kept = PendingImport.objects.get().parsed

    assert kept["source"] == "tracker.xlsx" and kept["sheet"] == "Plan"
    assert kept["rows"][2] == [3, builders.ACTION_HEADER]
    assert kept["rows"][3] == [4, ["1.1", "Access", "Action 1", "EM", "March 2026", "Green"]]


def test_a_kept_table_keeps_its_cells_types_in_the_database(governor, small_plan):
    table = RawTable(
        source="tracker.xlsx",
        sheet="Plan",
        rows=(
            RawRow(1, ("Ref", "Due", "Score", "Count")),
            RawRow(4, ("1.10", datetime.date(2024, 3, 31), 1e300, 12345678901234567890)),
            RawRow(5, ("", "", 1.1, -3)),
        ),
    )
    pending = PendingImport.objects.create(
        strategy_slug="demo", filename="tracker.xlsx", parsed=table.as_json(), uploaded_by=governor
    )

    again = read_pending(PendingImport.objects.get(pk=pending.pk))

    assert again == table
    assert [type(cell) for cell in again.rows[1].cells] == [str, datetime.date, float, int]
