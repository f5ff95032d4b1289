"""The board paper's content, built from a closed period's snapshot of the seed plan."""

import datetime

from planboard.papers.content import build_paper
from planboard.papers.paper import NOT_IN_KEY, NOT_RATED
from planboard.plans.models import Action


def test_the_closed_period_paper_has_all_49_actions_in_theme_order_with_their_areas(
    seed_strategy, closed_q3
):
    paper = build_paper(seed_strategy, closed_q3)
    rows = paper.rows
    assert len(rows) == 49
    assert [(r.theme_number, r.number) for r in rows] == sorted(
        (r.theme_number, r.number) for r in rows
    )
    assert [t.number for t in paper.themes] == [1, 2, 3, 4, 5, 6]
    live = {
        a.ref: a.area.name if a.area else "" for a in Action.objects.for_strategy(seed_strategy)
    }
    assert {r.ref: r.area for r in rows} == live
    assert paper.themes[0].areas[0].area == rows[0].area


def test_the_four_yellow_ratings_are_shown_as_not_in_key(seed_strategy, closed_q3):
    paper = build_paper(seed_strategy, closed_q3)
    yellow = [r for r in paper.rows if r.rag == "Yellow"]
    assert len(yellow) == 4
    assert not any(r.in_key for r in yellow)
    counts = {c.label: c.count for c in paper.glance.counts}
    assert counts[NOT_IN_KEY] == 4
    assert counts[NOT_RATED] == sum(1 for r in paper.rows if not r.rated)
    assert sum(counts.values()) == 49
    by_theme = sum(c.count for t in paper.glance.by_theme for c in t.counts)
    assert by_theme == 49


def test_the_rag_key_comes_from_the_strategy_scale(seed_strategy, closed_q3):
    paper = build_paper(seed_strategy, closed_q3)
    levels = list(seed_strategy.rag_levels.all())
    assert [(k.label, k.definition) for k in paper.key] == [
        (lv.label, lv.definition) for lv in levels
    ]
    assert [k.label for k in paper.key][:3] == ["Green", "Amber", "Red"]
    assert paper.exceptions.rated_labels == ("Amber", "Red")


def test_the_cover_sheet_comes_from_the_seed_paper(seed_strategy, closed_q3):
    paper = build_paper(seed_strategy, closed_q3)
    cover = {f.name: f.value for f in paper.cover}
    assert cover["title"] == "Service User Engagement Strategy Implementation Plan"
    assert cover["author"] == "Tania Baxter"


def test_editing_an_action_after_closing_leaves_the_closed_paper_unchanged(
    seed_strategy, closed_q3
):
    before = build_paper(seed_strategy, closed_q3)
    action = Action.objects.for_strategy(seed_strategy).in_plan_order().first()
    action.text = "Rewritten after the quarter closed."
    action.progress = "New progress written later."
    action.save()
    after = build_paper(seed_strategy, closed_q3)
    assert after == before
    assert after.rows[0].text != "Rewritten after the quarter closed."
    live = build_paper(seed_strategy)
    assert live.rows[0].text == "Rewritten after the quarter closed."


def test_exceptions_list_the_actions_overdue_at_the_period_end(
    seed_strategy, closed_q3_with_exceptions
):
    period = closed_q3_with_exceptions
    paper = build_paper(seed_strategy, period)
    end = period.ends_on
    assert end == datetime.date(2016, 12, 31)
    expected = [
        a.ref
        for a in Action.objects.for_strategy(seed_strategy).select_related("theme").in_plan_order()
        if a.is_overdue(end)
    ]
    assert "1.1" in expected
    assert [e.ref for e in paper.exceptions.overdue] == expected
    assert paper.exceptions.overdue[0].note == "Due by Nov 2016"
    assert paper.glance.overdue == len(expected)


def test_exceptions_list_every_red_and_amber_action(seed_strategy, closed_q3_with_exceptions):
    paper = build_paper(seed_strategy, closed_q3_with_exceptions)
    assert [(e.ref, e.note) for e in paper.exceptions.rated] == [("1.1", "Amber"), ("2.1", "Red")]


def test_a_closed_period_with_no_updates_lists_every_open_action_as_not_updated(
    seed_strategy, closed_q3
):
    paper = build_paper(seed_strategy, closed_q3)
    assert paper.exceptions.not_updated
    assert paper.glance.updated == 0


def test_the_next_quarter_lists_rag_changes_and_slipped_targets_with_reasons(
    seed_strategy, closed_q3_with_exceptions, gail
):
    from planboard.progress.services import accept_update, close_period, submit_update
    from tests.progress.cycle import open_quarter, reviewer

    q4 = open_quarter(seed_strategy)
    action = Action.objects.for_strategy(seed_strategy).get(theme__number=1, number=1)
    update = submit_update(
        action,
        user=gail,
        narrative="The venue fell through.",
        proposed_rag=seed_strategy.rag_levels.get(label="Red"),
        new_target_date=datetime.date(2017, 6, 30),
        reason="Venue unavailable.",
    )
    accept_update(update, user=reviewer(), expected_version=1, today=datetime.date(2017, 3, 20))
    close_period(q4, user=gail)

    paper = build_paper(seed_strategy, q4)

    assert paper.exceptions.baseline == "2016/17 Q3"
    assert [(c.ref, c.note) for c in paper.exceptions.rag_down] == [("1.1", "Amber to Red")]
    [slip] = [e for e in paper.exceptions.slipped if e.ref == "1.1"]
    assert slip.note.endswith("Reason: Venue unavailable.")
    assert "1.1" not in [e.ref for e in paper.exceptions.not_updated]
    assert paper.glance.updated == 1


def test_an_open_period_and_the_live_plan_are_built_from_the_plan_as_it_stands(seed_strategy, gail):
    from tests.progress.cycle import open_quarter

    q4 = open_quarter(seed_strategy)
    action = Action.objects.for_strategy(seed_strategy).get(theme__number=3, number=2)
    action.text = "Written while the quarter is open."
    action.save()

    for paper in (build_paper(seed_strategy, q4), build_paper(seed_strategy)):
        assert len(paper.rows) == 49
        assert "Written while the quarter is open." in [r.text for r in paper.rows]
    assert build_paper(seed_strategy, q4).period == "2016/17 Q4"
    live = build_paper(seed_strategy)
    assert (live.period, live.glance.completion, live.exceptions.not_updated) == ("", None, ())


def test_the_appendix_lists_data_findings_and_counts_the_delivery_ones(
    seed_strategy, closed_q3_with_exceptions
):
    paper = build_paper(seed_strategy, closed_q3_with_exceptions)
    kinds = {f.kind for f in paper.findings}
    assert kinds == {"data", "delivery"}
    assert paper.data_findings and all(f.kind == "data" for f in paper.data_findings)
    assert paper.delivery_findings == len(paper.findings) - len(paper.data_findings)
    codes = {f.code for f in paper.findings if f.kind == "delivery"}
    assert "OVERDUE" in codes  # 1.1 was due by November 2016
    assert any(e.ref == "1.1" for e in paper.exceptions.overdue)


def test_the_exception_lists_have_one_set_of_titles_for_every_format(
    seed_strategy, closed_q3_with_exceptions
):
    paper = build_paper(seed_strategy, closed_q3_with_exceptions)
    titles = [group.heading for group in paper.exceptions.groups]
    assert titles[:3] == [
        f"Rated Amber or Red ({len(paper.exceptions.rated)})",
        f"Overdue ({len(paper.exceptions.overdue)})",
        f"Target moved ({len(paper.exceptions.slipped)})",
    ]
    assert titles[3].startswith("Not updated this period (")
    assert paper.exceptions.note == "There is no earlier closed period to compare ratings with."
    live = build_paper(seed_strategy)
    assert [g.title for g in live.exceptions.groups] == [
        "Rated Amber or Red",
        "Overdue",
        "Target moved",
    ]
    assert live.exceptions.note == ""
