"""The general rules of the feedback section, without the database: the quarters its
chart covers, a row's figures as printed, and the paper's fingerprint with and without
the section."""

import dataclasses
import datetime
import hashlib
import json

from hypothesis import given
from hypothesis import strategies as st

from planboard.feedback.metrics import LoopFigures
from planboard.papers import freshness
from planboard.papers.feedback_section import (
    NO_DATA,
    FeedbackFigures,
    _figures,
    last_quarters,
)
from planboard.papers.formats.docx_check import sample_paper
from planboard.progress.periods import parse_quarter_label, quarter_containing

days = st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2199, 3, 31))


@given(days)
def test_the_chart_covers_four_quarters_in_a_row_ending_with_the_papers(day):
    quarters = last_quarters(day)
    assert len(quarters) == 4 and quarters[-1] == quarter_containing(day)[0]
    bounds = [parse_quarter_label(label) for label in quarters]
    for (_, ends), (starts, _) in zip(bounds, bounds[1:], strict=False):
        assert starts - ends == datetime.timedelta(days=1)
    assert bounds[0][0] <= day <= bounds[-1][1]


@given(
    received=st.integers(0, 10_000),
    changed=st.integers(0, 500),
    unchanged=st.integers(0, 500),
    positive=st.integers(0, 500),
    negative=st.integers(0, 500),
)
def test_a_rows_figures_as_printed(received, changed, unchanged, positive, negative):
    row = LoopFigures(
        "2016/17 Q4",
        None,
        received=received,
        concern_responses=changed + unchanged,
        concern_responses_changed=changed,
        fft_answers=positive + negative,
        fft_positive=positive,
    )
    cells = _figures("Whole strategy", row).cells
    assert cells[1] == str(received)
    if changed + unchanged:
        assert cells[3] == f"{round(100 * changed / (changed + unchanged))}%"
    else:
        assert cells[3] == NO_DATA
    if positive + negative:
        assert cells[5] == f"{round(100 * positive / (positive + negative))}%"
    else:
        assert cells[5] == NO_DATA


def test_a_row_with_nothing_says_no_data():
    assert _figures("Adults", None) == FeedbackFigures("Adults")
    assert FeedbackFigures("Adults").cells == ("Adults", "0", NO_DATA, NO_DATA, "0", NO_DATA)
    assert FeedbackFigures("Adults", 2, 2.5).cells[2] == "2.5"


def test_a_paper_without_feedback_keeps_the_fingerprint_it_had_before_the_section():
    """Files made before the section was added are not shown out of date for it."""
    paper = dataclasses.replace(sample_paper(), feedback=None)
    assert paper.engagement is None  # a section added later, left out the same way
    before = {
        f.name: freshness._plain(getattr(paper, f.name))
        for f in dataclasses.fields(paper)
        if f.name not in ("feedback", "engagement")
    }
    text = json.dumps(before, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert freshness._digest(paper) == hashlib.sha256(text.encode()).hexdigest()
    with_feedback = sample_paper()
    assert freshness._digest(with_feedback) != freshness._digest(paper)
    (highlight,) = with_feedback.feedback.highlights
    changed = dataclasses.replace(
        with_feedback,
        feedback=dataclasses.replace(
            with_feedback.feedback,
            highlights=(dataclasses.replace(highlight, we_did="Something else."),),
        ),
    )
    assert freshness._digest(changed) != freshness._digest(with_feedback)
