"""The import page with large files: hostile sheets refused quickly, a tracker of 10,000
actions accepted and one of 10,001 refused."""

import html
import re
from functools import cache

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.bounds import cost_of, database_fingerprint
from tests.imports.hostile import builders

pytestmark = pytest.mark.django_db

IMPORT = "/strategies/demo/import/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@cache
def million_empty_rows() -> bytes:
    header = builders.inline_row(1, ["Ref", "Action"])
    return builders.xlsx_with_sheet_data(
        header + builders.empty_rows(2, 1_000_000), dimension=False
    )


@cache
def tracker(actions: int) -> bytes:
    return builders.xlsx_with_sheet_data(builders.actions_sheet_data(actions))


def upload(client, data: bytes, name: str = "tracker.xlsx"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data, content_type=XLSX)})


def file_error(response) -> str:
    found = re.search(r'<a href="#import-file"[^>]*>\s*(.*?)\s*</a>', response.text, re.S)
    return html.unescape(found.group(1))


def test_a_sheet_of_a_million_empty_rows_is_refused_quickly(client_for, governor, small_plan):
    client = client_for(governor)
    before = database_fingerprint()

    cost = cost_of(upload, client, million_empty_rows())

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

    response = upload(client, tracker(10_000))

    assert response.status_code == 302, file_error(response)
    page = client.get(response.url).text
    assert "10000 actions were read from tracker.xlsx, Plan, below the header in row 3" in page
    assert "Import 10000 actions" in page


def test_a_tracker_of_ten_thousand_and_one_actions_is_refused(client_for, governor, small_plan):
    client = client_for(governor)
    before = database_fingerprint()

    response = upload(client, tracker(10_001))

    assert response.status_code == 400
    assert file_error(response) == (
        'tracker.xlsx, sheet "Plan", row 10004: the table has more than 10,000 actions, the '
        "most that can be imported"
    )
    assert database_fingerprint() == before
