"""The loop's figures per quarter and service, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from planboard.feedback.loop import record_response
from planboard.feedback.metrics import loop_figures
from planboard.feedback.models import Change, Source
from planboard.feedback.services import record_item
from tests.feedback.helpers import at, make_feedback_plan
from tests.shared import shared


def _item(strategy, n, services, received, concern=False):
    return record_item(
        strategy,
        user=None,
        source=Source.SURVEY,
        source_id=str(n),
        text=f"Comment {n}.",
        received_at=received,
        raised_concern=concern,
        services=services,
    ).item


def _respond(item, when, change=Change.NONE):
    reason = "Not ours to change." if change == Change.NOT_POSSIBLE else ""
    record_response(
        item, user=None, responded_at=when, text="Thanks.", change=change, change_reason=reason
    )


@shared
def figures(db):
    """Q4 2016/17: three items about Willow ward (two raise a concern) and one about the
    crisis team; one item in Q1 2017/18 with no service."""
    strategy, adults, ward, team, action = make_feedback_plan()
    first = _item(strategy, 1, [ward], at(2017, 1, 2), concern=True)
    _respond(first, at(2017, 1, 4), Change.PLANNED)
    _respond(first, at(2017, 4, 10), Change.MADE)
    second = _item(strategy, 2, [ward], at(2017, 2, 1), concern=True)
    _respond(second, at(2017, 2, 2), Change.NOT_POSSIBLE)
    _item(strategy, 3, [ward], at(2017, 3, 1))
    fourth = _item(strategy, 4, [team], at(2017, 3, 5))
    _respond(fourth, at(2017, 3, 15))
    _item(strategy, 5, [], at(2017, 5, 1))
    return strategy


def _by(rows):
    return {(row.quarter, row.service.name if row.service else None): row for row in rows}


def test_figures_per_quarter_and_service(figures):
    rows = _by(loop_figures(figures))
    assert list(rows) == [
        ("2016/17 Q4", None),
        ("2016/17 Q4", "Adult services"),
        ("2016/17 Q4", "Crisis team"),
        ("2016/17 Q4", "Willow ward"),
        ("2017/18 Q1", None),
        ("2017/18 Q1", "Adult services"),
        ("2017/18 Q1", "Willow ward"),
    ]
    whole = rows[("2016/17 Q4", None)]
    assert whole.received == 4
    # First responses after 2, 1 and 10 days.
    assert whole.median_days_to_respond == 2.0
    # Responses to concerns: planned, made (counted), not possible (not).
    assert (whole.concern_responses, whole.concern_responses_changed) == (3, 2)
    assert whole.share_changed == pytest.approx(2 / 3)
    assert whole.changes_made == 0
    ward = rows[("2016/17 Q4", "Willow ward")]
    assert (ward.received, ward.median_days_to_respond) == (3, 1.5)
    assert rows[("2016/17 Q4", "Adult services")].received == 4
    team = rows[("2016/17 Q4", "Crisis team")]
    assert (team.received, team.share_changed, team.median_days_to_respond) == (1, None, 10.0)
    later = rows[("2017/18 Q1", None)]
    assert (later.received, later.changes_made, later.median_days_to_respond) == (1, 1, None)
    # The change made in Q1 belongs to the ward's row of Q1, though its item came in Q4.
    assert rows[("2017/18 Q1", "Willow ward")].changes_made == 1
    assert rows[("2017/18 Q1", "Willow ward")].received == 0


def test_the_number_of_queries_does_not_grow_with_the_items(figures):
    with CaptureQueriesContext(connection) as few:
        loop_figures(figures)
    ward = figures.feedback_services.get(name="Willow ward")
    for n in range(10, 40):
        item = _item(figures, n, [ward], at(2017, 2, 1 + n % 20), concern=True)
        _respond(item, at(2017, 3, 1), Change.PLANNED)
    with CaptureQueriesContext(connection) as many:
        rows = _by(loop_figures(figures))
    assert rows[("2016/17 Q4", None)].received == 34
    assert len(many) == len(few) == 5  # the fifth reads the Friends and Family Test counts
