"""The paper's "Service user engagement" section: its figures against ones worked by hand
(``engagement_fixture``), in a fixed number of queries, the small-number rule on reward,
and left out for a strategy with no activities."""

import dataclasses
import datetime
import hashlib
import json
from collections import Counter
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from planboard.engagement.models import Level
from planboard.engagement.small_numbers import FEWER_THAN as FEWER
from planboard.engagement.small_numbers import SMALL
from planboard.papers import freshness
from planboard.papers.content import build_paper
from planboard.papers.engagement_section import (
    LEVEL_LABELS,
    LEVELS,
    NOT_SHOWN,
    LevelRow,
    _reward_line,
    engagement_section,
)
from planboard.papers.formats.engagement_chart import engagement_chart
from tests.builders import make_action, make_strategy, make_theme
from tests.engagement.helpers import add_activity
from tests.papers.engagement_fixture import (
    DUE,
    MAP,
    PERSPECTIVES,
    TREND,
    make_engagement_strategy,
    reward_people,
)
from tests.shared import shared

IN_Q4 = datetime.date(2017, 3, 31)


@shared
def with_engagement(db):
    return make_engagement_strategy()


def test_the_levels_are_the_models(db):
    assert LEVELS == tuple(Level.values)
    assert LEVEL_LABELS == tuple(Level.labels)


def test_the_map_of_the_quarter_by_directorate_and_level(with_engagement):
    section = engagement_section(with_engagement[0], IN_Q4)
    assert section.quarter == "2016/17 Q4"
    assert [list(row.cells) for row in section.directorates] == MAP
    assert section.directorates[1].highest_colour == "purple"
    assert section.directorates[2].highest_colour == ""


def test_the_gaps_in_words(with_engagement):
    section = engagement_section(with_engagement[0], IN_Q4)
    assert section.quiet == ("Community", "Pharmacy")
    assert section.directorate_gaps == "No engagement in 2016/17 Q4: Community, Pharmacy."
    assert section.unserved == ("1.3 We will do thing 3.",)
    assert section.commitment_gaps == (
        "Served by no activity in 2016/17 Q4: 1.3 We will do thing 3."
    )
    assert section.unserved_listed == ()


def test_the_levels_reached_per_quarter(with_engagement):
    section = engagement_section(with_engagement[0], IN_Q4)
    assert [list(q.trend_cells) for q in section.trend] == TREND
    assert "2016/17 Q3: 1 inform, 0 consult, 1 involve" in section.chart_description
    svg = engagement_chart(section, "svg")
    assert svg == engagement_chart(section, "svg")
    assert engagement_chart(section, "png").startswith(b"\x89PNG")


def test_outcomes_participation_and_reward(with_engagement):
    section = engagement_section(with_engagement[0], IN_Q4)
    assert (section.ended, section.with_outcome, section.fed_back) == (3, 2, 1)
    assert section.outcomes_note == (
        "3 activities ended in 2016/17 Q4: 2 recorded what changed because of it, "
        "and 1 fed that back to the people who took part."
    )
    assert list(section.perspectives) == PERSPECTIVES
    due, paid = section.reward
    assert due.cells == ("Due for involvement in 2016/17 Q4", "5", "£105.50")
    assert due.amount == DUE
    assert paid.cells == ("Paid in 2016/17 Q4", FEWER, NOT_SHOWN)


def test_another_quarter_counts_its_own(with_engagement):
    section = engagement_section(with_engagement[0], datetime.date(2016, 12, 31))
    assert [list(row.cells) for row in section.directorates][0] == [
        "Whole trust", "1", "0", "1", "0", "0", "2", "Involve"
    ]  # fmt: skip
    assert section.quiet == ("Acute", "Pharmacy")
    assert (section.ended, section.with_outcome, section.fed_back) == (1, 0, 0)
    assert section.outcomes_note.startswith("1 activity ended in 2016/17 Q3")
    assert [r.people for r in section.reward] == [0, 0]
    assert section.reward[0].cells[1:] == ("0", "£0.00")


def test_a_strategy_with_no_activities_has_no_section(db):
    strategy = make_strategy(slug="no-engagement")
    make_action(make_theme(strategy, commitments=1), "Do the thing.")
    assert engagement_section(strategy, IN_Q4) is None
    assert build_paper(strategy).engagement is None


def test_a_long_list_of_gaps_is_summarised(db):
    strategy = make_strategy(slug="many-gaps")
    make_theme(strategy, commitments=7)
    add_activity(strategy, "An event")
    section = engagement_section(strategy, IN_Q4)
    assert len(section.unserved) == 7
    assert section.commitment_gaps == (
        "7 commitments were served by no activity in 2016/17 Q4, listed at the end of this section."
    )
    assert section.unserved_listed == section.unserved
    assert section.quiet == () and section.directorate_gaps.startswith("Every directorate")


def test_a_fixed_number_of_queries_whatever_the_number_of_activities(with_engagement):
    strategy, gail = with_engagement
    with CaptureQueriesContext(connection) as small:
        engagement_section(strategy, IN_Q4)
    for n in range(12):
        activity = add_activity(
            strategy, f"More {n}", starts_on=datetime.date(2017, 1, 10 + n), level=Level.INVOLVE
        )
        reward_people(strategy, activity, gail, count=2, marked=False)
    with CaptureQueriesContext(connection) as large:
        section = engagement_section(strategy, IN_Q4)
    assert section.directorates[0].activities == 16
    assert len(large) == len(small) <= 16


@given(st.lists(st.integers(min_value=1, max_value=10_000), max_size=12))
def test_a_reward_total_fewer_than_five_share_is_never_shown(pennies):
    amounts = Counter({n: Decimal(p) / 100 for n, p in enumerate(pennies)})
    line = _reward_line("Paid", amounts)
    if 0 < len(pennies) < SMALL:
        assert line.amount is None and line.cells[1:] == (FEWER, NOT_SHOWN)
    else:
        assert line.amount == sum(amounts.values(), Decimal(0))
        assert line.cells[1] == str(len(pennies))


def test_a_paper_without_activities_keeps_the_fingerprint_it_had_before_the_section():
    """Files made before the section was added are not shown out of date for it."""
    from planboard.papers.formats.docx_check import sample_paper

    paper = dataclasses.replace(sample_paper(), engagement=None)
    before = {
        f.name: freshness._plain(getattr(paper, f.name))
        for f in dataclasses.fields(paper)
        if f.name != "engagement"
    }
    text = json.dumps(before, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert freshness._digest(paper) == hashlib.sha256(text.encode()).hexdigest()
    row = LevelRow("Whole trust", (0, 1, 0, 0, 0), 1, "consult")
    with_it = dataclasses.replace(paper, engagement=_tiny_section(row))
    assert freshness._digest(with_it) != freshness._digest(paper)


def _tiny_section(row):
    from planboard.papers.engagement_section import EngagementSection, RewardLine

    return EngagementSection(
        quarter="2016/17 Q4",
        directorates=(row,),
        quiet=(),
        unserved=(),
        trend=(row,),
        ended=0,
        with_outcome=0,
        fed_back=0,
        perspectives=(),
        reward=(RewardLine("Paid", 0, Decimal(0)),),
    )
