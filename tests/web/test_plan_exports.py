"""The plan's actions as CSV and Excel, with the page's filters; typed text never a formula."""

import csv
import io
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from planboard.plans.models import Action
from tests.builders import make_large_plan

HEADINGS = [
    "Ref",
    "Theme",
    "Area",
    "Commitments",
    "Action",
    "Progress",
    "Target",
    "Status",
    "RAG",
    "Leads",
    "Last updated",
    "Ref in the tracker",
    "Where it came from",
]
DATE = HEADINGS.index("Last updated")


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = response.getvalue()  # the file is streamed: read to its end
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel looks for
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_sheet(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.getvalue()))["Actions"]


def csv_url(slug="demo", query=""):
    return reverse("plan_csv", kwargs={"slug": slug}) + query


def xlsx_url(slug="demo", query=""):
    return reverse("plan_xlsx", kwargs={"slug": slug}) + query


def test_the_csv_has_one_row_per_action_in_plan_order(signed_in, small_plan):
    rows = csv_rows(signed_in.get(csv_url()))

    assert rows[0] == HEADINGS
    assert [row[0] for row in rows[1:]] == ["1.1", "1.2", "1.3", "2.1"]
    today = timezone.localdate().isoformat()
    assert rows[1] == [
        "1.1",
        "1. Focussed Culture Change",
        "SUSEG",
        "1, 2",
        "Review the structure of SUSEG meetings.",
        "",
        "Mar 2017",
        "In progress",
        "Green",
        "EM",
        today,
        "",
        "",
    ]


def test_ratings_read_as_the_page_shows_them(signed_in, small_plan):
    rows = {row[0]: row for row in csv_rows(signed_in.get(csv_url()))[1:]}

    assert rows["1.2"][8] == "Yellow"  # as written: not in the key
    assert rows["1.3"][8] == ""  # not rated
    assert rows["1.3"][6] == "Completed"
    assert rows["1.2"][9] == "EM, Head of SUEMU"


def test_the_csv_keeps_the_page_filters(signed_in, small_plan):
    green = small_plan.strategy.rag_levels.get(label="Green")

    by_theme = csv_rows(signed_in.get(csv_url(query="?theme=2")))
    by_rating = csv_rows(signed_in.get(csv_url(query=f"?rag={green.pk}")))
    by_lead = csv_rows(signed_in.get(csv_url(query=f"?lead={small_plan.head.pk}&status=complete")))

    assert [row[0] for row in by_theme[1:]] == ["2.1"]
    assert [row[0] for row in by_rating[1:]] == ["1.1"]
    assert [row[0] for row in by_lead[1:]] == ["1.3"]


def test_a_filter_value_the_page_would_ignore_is_ignored(signed_in, small_plan):
    rows = csv_rows(signed_in.get(csv_url(query="?theme=99&rag=purple")))

    assert len(rows) == 5


def test_the_workbook_keeps_the_page_filters(signed_in, small_plan):
    sheet = xlsx_sheet(signed_in.get(xlsx_url(query="?rag=not-in-key")))

    assert [cell.value for cell in sheet[1]] == HEADINGS
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["1.2"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:M2"


def test_the_workbook_holds_the_same_rows_as_the_csv(signed_in, small_plan):
    rows = csv_rows(signed_in.get(csv_url()))
    sheet = xlsx_sheet(signed_in.get(xlsx_url()))

    values = [
        [cell.value for at, cell in enumerate(row) if at != DATE]
        for row in sheet.iter_rows(min_row=2, values_only=False)
    ]
    assert values == [
        [cell or None for at, cell in enumerate(row) if at != DATE] for row in rows[1:]
    ]
    assert sheet["K2"].value.date() == timezone.localdate()
    assert sheet["K2"].is_date


@pytest.fixture
def typed(small_plan):
    """Action 1.1 with text a spreadsheet would run as formulas."""
    action = small_plan.review
    action.text = "=1+1"
    action.progress = "@SUM(A1)"
    action.lead_text = "-EM"
    action.save()
    action.leads.clear()
    return action


def test_csv_cells_that_look_like_formulas_begin_with_a_quote(signed_in, typed):
    row = csv_rows(signed_in.get(csv_url()))[1]

    assert row[4] == "'=1+1"
    assert row[5] == "'@SUM(A1)"
    assert row[9] == "'-EM"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_quoted_in_the_csv(signed_in, small_plan, start):
    small_plan.review.progress = f"{start}cmd|' /C calc'!A0"
    small_plan.review.save()

    row = csv_rows(signed_in.get(csv_url()))[1]
    assert row[5] == f"'{start}cmd|' /C calc'!A0"


def test_workbook_cells_that_look_like_formulas_are_text(signed_in, typed):
    sheet = xlsx_sheet(signed_in.get(xlsx_url()))

    action, progress = sheet["E2"], sheet["F2"]
    assert action.value == "=1+1"
    assert action.data_type == "s"
    assert action.quotePrefix
    assert progress.value == "@SUM(A1)"
    assert progress.data_type == "s"
    assert not sheet["A2"].quotePrefix


def test_the_last_columns_give_the_ref_in_the_tracker_and_where_it_came_from(signed_in, small_plan):
    small_plan.review.ref_as_written = "007"
    small_plan.review.source = "Board, 12 January 2017, item 7"
    small_plan.review.save()

    rows = csv_rows(signed_in.get(csv_url()))
    sheet = xlsx_sheet(signed_in.get(xlsx_url()))

    assert rows[1][-2:] == ["007", "Board, 12 January 2017, item 7"]
    assert rows[2][-2:] == ["", ""]
    assert (sheet["L2"].value, sheet["M2"].value) == ("007", "Board, 12 January 2017, item 7")
    assert sheet["L2"].data_type == "s"  # "007" stays a ref, not the number 7
    assert sheet["L3"].value is None


def test_the_ref_in_the_tracker_and_source_are_never_formulas(signed_in, small_plan):
    small_plan.review.ref_as_written = "-3"
    small_plan.review.source = '=HYPERLINK("http://example.com","Agenda")'
    small_plan.review.save()

    row = csv_rows(signed_in.get(csv_url()))[1]
    sheet = xlsx_sheet(signed_in.get(xlsx_url()))

    assert row[-2:] == ["'-3", '\'=HYPERLINK("http://example.com","Agenda")']
    assert sheet["L2"].value == "-3" and sheet["L2"].quotePrefix
    assert sheet["M2"].value.startswith("=HYPERLINK") and sheet["M2"].quotePrefix
    assert sheet["M2"].data_type == "s"


def test_text_beyond_ascii_survives_both_files(signed_in, small_plan):
    small_plan.review.progress = "Café – “quoted” ✓"
    small_plan.review.save()

    assert csv_rows(signed_in.get(csv_url()))[1][5] == "Café – “quoted” ✓"
    assert xlsx_sheet(signed_in.get(xlsx_url()))["F2"].value == "Café – “quoted” ✓"


def test_the_files_are_downloads_named_for_the_strategy(signed_in, small_plan):
    today = timezone.localdate().isoformat()

    for url, extension in ((csv_url(), "csv"), (xlsx_url(), "xlsx")):
        disposition = signed_in.get(url)["Content-Disposition"]
        assert disposition == f'attachment; filename="demo-actions-{today}.{extension}"'


def test_last_updated_is_the_day_of_the_latest_change(signed_in, small_plan):
    Action.history.filter(id=small_plan.review.pk).update(
        history_date=timezone.make_aware(timezone.datetime(2017, 3, 8, 23, 30))
    )

    rows = csv_rows(signed_in.get(csv_url()))
    assert rows[1][10] == "2017-03-08"


@pytest.mark.parametrize("url", [csv_url, xlsx_url])
def test_signed_out_visitors_are_sent_to_sign_in(client, small_plan, url):
    response = client.get(url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_strategy_is_not_found(signed_in, db):
    assert signed_in.get(csv_url("nope")).status_code == 404
    assert signed_in.get(xlsx_url("nope")).status_code == 404


def test_the_files_refuse_posts(signed_in, small_plan):
    assert signed_in.post(csv_url()).status_code == 405


# --- the links on the plan page ---------------------------------------------------


def download_links(response) -> dict[str, str]:
    found = re.findall(r'<a href="([^"]+)">(Download [^<]+)</a>', response.text)
    return {text: unescape(href) for href, text in found}


def test_the_plan_page_links_to_both_files(signed_in, small_plan):
    links = download_links(signed_in.get(reverse("plan", kwargs={"slug": "demo"})))

    assert links == {
        "Download all actions as CSV": csv_url(),
        "Download all actions as Excel (XLSX)": xlsx_url(),
    }


def test_the_links_carry_the_filters_applied(signed_in, small_plan):
    page = signed_in.get(reverse("plan", kwargs={"slug": "demo"}) + "?theme=1&overdue=on")
    links = download_links(page)

    assert links == {
        "Download these actions as CSV": csv_url(query="?theme=1&overdue=on"),
        "Download these actions as Excel (XLSX)": xlsx_url(query="?theme=1&overdue=on"),
    }
    rows = csv_rows(signed_in.get(links["Download these actions as CSV"]))
    assert [row[0] for row in rows[1:]] == ["1.1", "1.2"]


# --- cost -------------------------------------------------------------------------


def queries(client, url) -> int:
    """The queries a download costs, the file read to its end (it is read as it is sent)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.getvalue()
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", [csv_url, xlsx_url])
def test_a_file_costs_the_same_for_a_plan_ten_times_larger(signed_in, db, url):
    small = make_large_plan(slug="small", actions=49)
    large = make_large_plan(slug="large", actions=490)
    lead = large.roles.first()

    assert queries(signed_in, url(small.slug)) == queries(signed_in, url(large.slug))
    filtered = url(large.slug, f"?lead={lead.pk}&rag=not-rated&overdue=on")
    assert queries(signed_in, filtered) == queries(signed_in, url(large.slug))
