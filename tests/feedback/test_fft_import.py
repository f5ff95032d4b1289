"""Importing the Friends and Family Test's monthly counts: headers, months, suppression,
re-import, all or nothing, and the share positive in the loop's figures."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from planboard.feedback.metrics import loop_figures
from planboard.feedback.models import FriendsAndFamilyCount
from planboard.imports.feedback_fft import import_fft
from planboard.imports.feedback_tables import TableRefused
from tests.bounds import database_fingerprint
from tests.feedback.helpers import make_feedback_plan
from tests.shared import shared

NHSE_HEADER = (
    "Yearnumber,Periodname,Org code,Org name,1 Very Good SUM,2 Good SUM,"
    "3 Neither Good nor Poor SUM,4 Poor SUM,5 Very Poor SUM,6 Dont Know SUM,"
    "Total Responses,Total Eligible,Prop_Pos\n"
)


@shared
def plan(db):
    strategy, adults, ward, team, action = make_feedback_plan()
    return strategy


def _csv(text: str) -> bytes:
    return text.encode()


def _counts(strategy):
    return {
        (c.code or c.name, c.month, c.setting): (
            c.very_good,
            c.good,
            c.neither,
            c.poor,
            c.very_poor,
            c.dont_know,
            c.total_responses,
            c.service.name if c.service else None,
        )
        for c in FriendsAndFamilyCount.objects.filter(strategy=strategy).select_related("service")
    }


def test_nhs_englands_raw_columns_with_suppression_and_the_financial_year(plan):
    data = NHSE_HEADER + (
        "2025_26,AUGUST,RXG10,Willow Ward,20,10,*,*,0,1,35,100,0.86\n"
        "2025_26,JANUARY,rxg20,Crisis,7,3,0,0,0,0,10,40,1\n"
        "2025_26,MARCH,ZZZ99,Elsewhere,1,1,1,1,1,1,6,9,0.3\n"
    )
    summary = import_fft(plan, _csv(data), "fft.csv", user=None)
    assert (summary.created, summary.updated, summary.unchanged) == (3, 0, 0)
    assert summary.unmatched == ["ZZZ99"]
    counts = _counts(plan)
    aug = ("RXG10", datetime.date(2025, 8, 1), "")
    # Suppressed counts are unknown (None), never 0; the 0 given stays 0.
    assert counts[aug] == (20, 10, None, None, 0, 1, 35, "Willow ward")
    assert counts[("RXG20", datetime.date(2026, 1, 1), "")][-1] == "Crisis team"
    assert counts[("ZZZ99", datetime.date(2026, 3, 1), "")][-1] is None


def test_a_second_import_updates_and_never_duplicates(plan):
    first = "Org code,Month,Very Good,Good,Neither Good nor Poor,Poor,Very Poor,Don't Know\n"
    import_fft(plan, _csv(first + "RXG10,Aug-25,5,5,0,0,0,0\n"), "a.csv", user=None)
    again = import_fft(plan, _csv(first + "RXG10,August 2025,5,5,0,0,0,0\n"), "a.csv", user=None)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    changed = import_fft(plan, _csv(first + "RXG10,2025-08,6,5,0,0,0,0\n"), "b.csv", user=None)
    assert (changed.created, changed.updated) == (0, 1)
    assert FriendsAndFamilyCount.objects.filter(strategy=plan).count() == 1
    # No total column and nothing suppressed: the total is the sum of the six.
    assert FriendsAndFamilyCount.objects.get(strategy=plan).total_responses == 11


def test_a_dry_run_says_what_it_would_do_and_writes_nothing(plan):
    data = "Ward name,Period,Very good,Good,Poor\nWillow ward,01/08/2025,3,4,5\n"
    before = database_fingerprint()
    summary = import_fft(plan, _csv(data), "fft.csv", user=None, dry_run=True)
    assert summary.line() == (
        "Friends and Family Test counts: 1 would be created, 0 updated, 0 unchanged."
    )
    assert database_fingerprint() == before


def test_a_file_with_bad_rows_writes_nothing_and_names_every_one(plan):
    data = (
        "Org code,Month,Setting,Very Good,Good,Total Responses\n"
        "RXG10,Aug-25,Inpatient,3,4,7\n"
        "RXG20,Smarch 2025,Inpatient,3,4,7\n"
        "RXG20,Sep-25,Inpatient,three,4,7\n"
    )
    before = database_fingerprint()
    with pytest.raises(TableRefused) as refused:
        import_fft(plan, _csv(data), "fft.csv", user=None)
    assert refused.value.lines[0].startswith("fft.csv, row 3, column Month: ")
    assert "is not a month" in refused.value.lines[0]
    assert refused.value.lines[1] == (
        'fft.csv, row 4, column Very Good: "three" is not a count (a whole number or *)'
    )
    assert database_fingerprint() == before


def test_the_same_place_and_month_twice_names_both_rows(plan):
    data = "Ward code,Month,Good\nRXG10,Aug-25,1\nRXG20,Aug-25,2\nrxg10,August 2025,3\n"
    with pytest.raises(TableRefused) as refused:
        import_fft(plan, _csv(data), "fft.csv", user=None)
    assert refused.value.lines == ["fft.csv, row 4: the same place, month and setting as row 2"]


def test_a_file_without_answers_or_place_is_refused_with_its_headers(plan):
    with pytest.raises(TableRefused) as refused:
        import_fft(plan, _csv("Org code,Month,Rating\nRXG10,Aug-25,4\n"), "x.csv", user=None)
    assert "no column of answers" in str(refused.value)
    assert "the headers found are: Org code, Month, Rating" in str(refused.value)


def _workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Wards"
    sheet.append(["Friends and Family Test: Inpatient, August 2025"])
    sheet.append(["Source: NHS England"])
    sheet.append([])
    sheet.append(
        [
            "Org code",
            "Site code",
            "Ward code",
            "Ward name",
            "Total Responses",
            "Percentage_Positive",
            "Very Good",
            "Good",
            "Neither Good nor Poor",
            "Poor",
            "Very Poor",
            "Dont Know",
        ]
    )
    sheet.append(["RXG", "RXG01", "RXG10", "Willow", 40, 0.75, 20, 10, 5, "*", "*", 0])
    sheet.append(["RXG", "RXG01", "RXG20", "Crisis", 8, 1.0, 6, 2, 0, 0, 0, 0])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_with_title_rows_gives_the_month_and_the_ward_code_wins(plan):
    import_fft(plan, _workbook(), "fft.xlsx", user=None)
    counts = _counts(plan)
    aug = datetime.date(2025, 8, 1)
    assert counts[("RXG10", aug, "")] == (20, 10, 5, None, None, 0, 40, "Willow ward")
    assert counts[("RXG20", aug, "")] == (6, 2, 0, 0, 0, 0, 8, "Crisis team")


def test_the_share_positive_by_quarter_and_service(plan):
    import_fft(plan, _workbook(), "fft.xlsx", user=None)
    data = "Org code,Month,Very Good,Good,Neither,Poor,Very Poor,Dont Know,Total\n"
    data += "RXG20,Sep-25,1,1,2,0,0,0,4\nRXG20,Oct-25,9,0,1,0,0,0,10\n"
    # Another trust's row (a national file): kept, but not the strategy's to count.
    data += "RYY,Sep-25,900,0,0,0,0,0,900\n"
    import_fft(plan, _csv(data), "more.csv", user=None)
    rows = {(f.quarter, f.service.name if f.service else None): f for f in loop_figures(plan)}
    # Willow: two suppressed counts, so its answers are the known 20+10+5+0 = 35, of which
    # 30 positive. Crisis: nothing suppressed, answers are its totals 8 + 4, positive 8 + 2.
    willow = rows[("2025/26 Q2", "Willow ward")]
    assert (willow.fft_answers, willow.fft_positive) == (35, 30)
    crisis = rows[("2025/26 Q2", "Crisis team")]
    assert (crisis.fft_answers, crisis.fft_positive) == (12, 10)
    adults = rows[("2025/26 Q2", "Adult services")]
    assert (adults.fft_answers, adults.fft_positive) == (47, 40)
    assert rows[("2025/26 Q2", None)].fft_share_positive == pytest.approx(40 / 47)
    assert FriendsAndFamilyCount.objects.filter(strategy=plan, code="RYY").exists()
    assert (rows[("2025/26 Q3", None)].fft_answers, rows[("2025/26 Q3", None)].fft_positive) == (
        10,
        9,
    )


def test_the_command_prints_one_line_and_refuses_bad_files(plan, tmp_path):
    good = tmp_path / "fft.csv"
    good.write_text("Org code,Month,Very Good,Good\nRXG10,Aug-25,3,4\n")
    out = io.StringIO()
    call_command("import_fft", "--strategy", plan.slug, str(good), "--dry-run", stdout=out)
    assert out.getvalue().strip() == (
        "Friends and Family Test counts: 1 would be created, 0 updated, 0 unchanged."
    )
    call_command("import_fft", "--strategy", plan.slug, str(good), stdout=out)
    assert FriendsAndFamilyCount.objects.filter(strategy=plan).count() == 1
    bad = tmp_path / "bad.csv"
    bad.write_text("Org code,Month,Very Good,Good\nRXG10,Aug-25,-3,4\n")
    with pytest.raises(CommandError, match=r"bad.csv, row 2, column Very Good: "):
        call_command("import_fft", "--strategy", plan.slug, str(bad))
    with pytest.raises(CommandError, match='There is no strategy with the slug "nope"'):
        call_command("import_fft", "--strategy", "nope", str(good))
