"""A paper's own cover sheet, and a closed period's paper built only from what was frozen."""

import datetime

import pytest

from planboard.papers.content import build_paper
from planboard.papers.covers import CoverConflict, cover_for, save_cover
from planboard.papers.models import CoverSheet
from planboard.plans.models import Action, Commitment, RagLevel, Theme
from planboard.progress.models import PeriodRecord, SnapshotIsFrozen
from planboard.progress.services import close_period, open_period
from tests.progress.cycle import Q3, Q4


def test_a_new_paper_is_prefilled_from_the_strategys_cover_sheet(seed_strategy, gail):
    period = open_period(seed_strategy, Q3, user=gail)
    sheet = cover_for(seed_strategy, period)
    assert sheet.pk is None and sheet.version == 0
    assert sheet.title == "Service User Engagement Strategy Implementation Plan"
    assert sheet.author == "Tania Baxter"
    assert [t["label"] for t in sheet.purpose_ticks][2] == "To report progress"


def test_the_next_paper_is_prefilled_from_the_paper_before_it(seed_strategy, gail):
    q3 = open_period(seed_strategy, Q3, user=gail)
    save_cover(
        seed_strategy,
        q3,
        {"meeting": "Quality Assurance Committee, January"},
        version=0,
        user=gail,
    )
    close_period(q3, user=gail)
    q4 = open_period(seed_strategy, Q4, user=gail)
    prefilled = cover_for(seed_strategy, q4)
    assert prefilled.meeting == "Quality Assurance Committee, January"
    assert prefilled.title == "Service User Engagement Strategy Implementation Plan"
    # The strategy's own sheet is untouched.
    assert CoverSheet.objects.get(strategy=seed_strategy, period=None).meeting != prefilled.meeting


def test_an_edit_from_an_out_of_date_form_is_refused_and_the_saved_text_kept(seed_strategy, gail):
    period = open_period(seed_strategy, Q3, user=gail)
    first = save_cover(seed_strategy, period, {"outcome": "Noted."}, version=0, user=gail)
    save_cover(seed_strategy, period, {"outcome": "Noted by the board."}, version=1, user=gail)
    with pytest.raises(CoverConflict) as raised:
        save_cover(seed_strategy, period, {"outcome": "Mine."}, version=first.version, user=gail)
    assert raised.value.current.outcome == "Noted by the board."
    assert CoverSheet.objects.get(period=period).outcome == "Noted by the board."
    # Two people both starting from the prefilled sheet: the second is told.
    with pytest.raises(CoverConflict):
        save_cover(seed_strategy, period, {"outcome": "Also mine."}, version=0, user=gail)


def test_every_saved_edit_is_in_the_cover_sheets_history(seed_strategy, gail):
    period = open_period(seed_strategy, Q3, user=gail)
    save_cover(seed_strategy, period, {"item": "7"}, version=0, user=gail)
    save_cover(seed_strategy, period, {"item": "8"}, version=1, user=gail)
    sheet = CoverSheet.objects.get(period=period)
    history = list(sheet.history.order_by("history_date"))
    assert [h.item for h in history] == ["7", "8"]
    assert {h.history_user for h in history} == {gail}


def test_unknown_fields_are_refused(seed_strategy, gail):
    period = open_period(seed_strategy, Q3, user=gail)
    with pytest.raises(ValueError, match="version"):
        save_cover(seed_strategy, period, {"version": 9}, version=0, user=gail)


def test_closing_a_period_keeps_its_cover_sheet(seed_strategy, gail):
    period = close_period(open_period(seed_strategy, Q3, user=gail), user=gail)
    kept = CoverSheet.objects.get(period=period)
    own = CoverSheet.objects.get(strategy=seed_strategy, period=None)
    own.title = "A new title for next year"
    own.save()
    assert cover_for(seed_strategy, period).pk == kept.pk
    titles = {f.name: f.value for f in build_paper(seed_strategy, period).cover}
    assert titles["title"] == "Service User Engagement Strategy Implementation Plan"


def test_a_closed_periods_paper_is_the_same_after_the_plan_changes(seed_strategy, gail):
    period = close_period(open_period(seed_strategy, Q3, user=gail), user=gail)
    before = build_paper(seed_strategy, period)

    theme = Theme.objects.get(strategy=seed_strategy, number=1)
    theme.title = "Renamed theme"
    theme.save()
    commitment = Commitment.objects.filter(theme=theme).first()
    commitment.text = "Rewritten commitment"
    commitment.save()
    commitment.actions.clear()
    Commitment.objects.create(theme=theme, number=99, text="A commitment added later")
    RagLevel.objects.filter(strategy=seed_strategy, label="Green").update(definition="Changed")
    RagLevel.objects.create(strategy=seed_strategy, label="Yellow", position=9, colour="yellow")
    Action.objects.filter(theme__strategy=seed_strategy, lead_text="").update(lead_text="X")

    after = build_paper(seed_strategy, period)
    assert after == before
    live = build_paper(seed_strategy)
    assert live.themes[0].title == "Renamed theme"
    assert any(c.text == "A commitment added later" for c in live.coverage)


def test_the_record_holds_the_findings_of_the_period_as_it_closed(seed_strategy, gail):
    period = close_period(open_period(seed_strategy, Q3, user=gail), user=gail)
    record = PeriodRecord.objects.get(period=period).content
    assert record["version"] == 1
    assert [t["number"] for t in record["themes"]] == [1, 2, 3, 4, 5, 6]
    assert [level["label"] for level in record["key"]] == ["Green", "Amber", "Red"]
    codes = {f["code"] for f in record["findings"]}
    assert "RAG_NOT_IN_KEY" in codes
    assert "NOT_UPDATED" in codes  # nobody updated during the period
    with pytest.raises(SnapshotIsFrozen):
        frozen = PeriodRecord.objects.get(period=period)
        frozen.content = {}
        frozen.save()


def test_a_period_closed_without_a_record_reads_those_parts_live(seed_strategy, gail):
    period = close_period(open_period(seed_strategy, Q3, user=gail), user=gail)
    PeriodRecord.objects.filter(period=period).delete()
    Theme.objects.filter(strategy=seed_strategy, number=1).update(title="Renamed theme")
    assert build_paper(seed_strategy, period).themes[0].title == "Renamed theme"
    assert build_paper(seed_strategy, period).as_of == datetime.date(2016, 12, 31)


def test_a_cover_sheet_value_over_its_limit_is_refused_by_the_service_naming_it(
    seed_strategy, gail
):
    from planboard.lib.services import ServiceError

    period = open_period(seed_strategy, "2016/17 Q4", user=gail)

    with pytest.raises(ServiceError) as refused:
        save_cover(seed_strategy, period, {"summary": "x" * 10_001}, version=0, user=gail)

    assert str(refused.value) == "Summary must be 10000 characters or fewer"
    assert refused.value.field == "summary"
    assert cover_for(seed_strategy, period).pk is None


def test_the_cover_sheet_admin_refuses_a_value_over_its_limit(seed_strategy, gail, client):
    from planboard.papers.models import CoverSheet
    from tests.web.pages import form_data

    period = open_period(seed_strategy, "2016/17 Q4", user=gail)
    sheet = save_cover(seed_strategy, period, {"title": "Q4"}, version=0, user=gail)
    client.force_login(gail)
    url = f"/admin/papers/coversheet/{sheet.pk}/change/"
    data = form_data(client.get(url).text)

    response = client.post(url, {**data, "summary": "x" * 10_001})

    assert response.status_code == 200
    assert "Summary must be 10000 characters or fewer" in response.text
    assert CoverSheet.objects.get(pk=sheet.pk).summary != "x" * 10_001
