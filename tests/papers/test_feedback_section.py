"""The paper's "Service user feedback: you said, we did" section: its figures against
ones worked by hand (``feedback_fixture``), in a fixed number of queries, and left out
for a strategy with no feedback."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from planboard.feedback.models import FeedbackPublication, Source
from planboard.feedback.services import link_feedback, record_item
from planboard.papers.content import build_paper
from planboard.papers.feedback_section import (
    HIGHLIGHTS,
    NO_DATA,
    FeedbackFigures,
    feedback_section,
)
from planboard.papers.formats.feedback_chart import feedback_chart
from planboard.progress.periods import period_slug
from planboard.progress.services import close_period, open_period
from tests.builders import make_strategy
from tests.cast import governance
from tests.feedback.helpers import at
from tests.papers.feedback_fixture import (
    SECRET_TEXT,
    STAFF_ONLY,
    WE_DID,
    YOU_SAID,
    make_feedback_strategy,
    publish_on,
)
from tests.papers.html_reader import parse
from tests.progress.cycle import Q4
from tests.shared import shared

IN_Q4 = datetime.date(2017, 3, 31)


@shared
def with_feedback(db):
    return make_feedback_strategy()[0]


def test_the_quarters_figures_for_the_strategy_and_each_directorate(with_feedback):
    section = feedback_section(with_feedback, IN_Q4)
    assert section.quarter == "2016/17 Q4"
    assert section.figures == (
        FeedbackFigures("Whole strategy", 4, 4.0, 0.75, 2, None),
        FeedbackFigures("Adult services", 2, 3.0, 2 / 3, 1, None),
        FeedbackFigures("Community services", 1, 10.0, 1.0, 1, None),
    )
    assert section.whole.cells == ("Whole strategy", "4", "4", "75%", "2", NO_DATA)
    assert section.figures[1].cells == ("Adult services", "2", "3", "67%", "1", NO_DATA)


def test_the_last_four_quarters(with_feedback):
    section = feedback_section(with_feedback, IN_Q4)
    assert [q.cells for q in section.trend] == [
        ("2016/17 Q1", "0", "0"),
        ("2016/17 Q2", "0", "0"),
        ("2016/17 Q3", "1", "0"),
        ("2016/17 Q4", "4", "2"),
    ]
    assert "2016/17 Q4: 4 received, 2 changes made" in section.chart_description


def test_only_what_was_published_in_the_quarter_is_highlighted(with_feedback):
    section = feedback_section(with_feedback, IN_Q4)
    (highlight,) = section.highlights
    assert highlight.you_said == YOU_SAID and highlight.we_did == WE_DID
    assert highlight.commitments == ("1.1 We will do thing 1.",)
    assert highlight.published == "20 February 2017"
    assert section.published == 1
    earlier = feedback_section(with_feedback, datetime.date(2016, 12, 31))
    assert [h.you_said for h in earlier.highlights] == ["Earlier-quarter-summary"]
    assert SECRET_TEXT not in repr(section) and STAFF_ONLY not in repr(section)


def test_a_quarter_with_nothing_says_so(with_feedback):
    section = feedback_section(with_feedback, datetime.date(2017, 6, 30))
    assert section.whole == FeedbackFigures("Whole strategy")
    assert section.highlights == () and "No " in section.highlights_note
    assert [q.received for q in section.trend] == [0, 1, 4, 0]


def test_a_strategy_without_feedback_has_no_section(db, client):
    strategy = make_strategy(slug="no-feedback")
    assert feedback_section(strategy, IN_Q4) is None
    assert build_paper(strategy).feedback is None
    gail = governance("gail-none")
    period = close_period(open_period(strategy, Q4, user=gail), user=gail)
    client.force_login(gail)
    kwargs = {"slug": strategy.slug, "period": period_slug(period.label)}
    page = client.get(reverse("paper", kwargs=kwargs)).content.decode()
    assert "paper-feedback" not in page and "feedback-chart.svg" not in page
    assert client.get(reverse("paper_feedback_chart", kwargs=kwargs)).status_code == 404


def test_the_number_of_queries_does_not_grow_with_the_items(with_feedback):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            feedback_section(with_feedback, IN_Q4)
        return len(captured.captured_queries)

    few = queries()
    gail = governance("gail-more")
    commitments = list(with_feedback.themes.get().commitments.all())
    for n in range(10, 10 + HIGHLIGHTS + 3):
        item = record_item(
            with_feedback,
            user=None,
            source=Source.SURVEY,
            source_id=str(n),
            text=f"Survey answer {n}.",
            received_at=at(2017, 1, 5),
            services=list(with_feedback.feedback_services.all()),
        ).item
        link_feedback(item, user=gail, commitments=commitments)
        publish_on(datetime.date(2017, 3, n), item, f"Said {n}.", f"Did {n}.", gail)
    assert queries() == few
    section = feedback_section(with_feedback, IN_Q4)
    assert len(section.highlights) == HIGHLIGHTS and section.published == HIGHLIGHTS + 4
    assert section.highlights[0].you_said == f"Said {10 + HIGHLIGHTS + 2}."
    assert "newest of the 9" in section.highlights_note


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_the_chart_is_drawn_the_same_each_time(with_feedback, fmt):
    section = feedback_section(with_feedback, IN_Q4)
    drawn = feedback_chart(section, fmt)
    assert drawn == feedback_chart(section, fmt)
    if fmt == "svg":
        assert b"Items received" in drawn and b"2016/17 Q4" in drawn


def test_the_paper_page_shows_the_section_with_its_tables(with_feedback, client):
    gail = governance("gail-page")
    period = close_period(open_period(with_feedback, Q4, user=gail), user=gail)
    client.force_login(gail)
    slug = period_slug(period.label)
    response = client.get(reverse("paper", kwargs={"slug": with_feedback.slug, "period": slug}))
    assert response.status_code == 200
    page = parse(response.content.decode())
    section = page.section("paper-feedback")
    captions = [caption.text for caption in section.all("caption")]
    assert captions == [
        "Feedback figures for 2016/17 Q4",
        "Feedback items received and changes made per quarter",
    ]
    assert YOU_SAID in section.text and SECRET_TEXT not in response.content.decode()
    (chart,) = section.all("img")
    assert chart.attrs["alt"]
    drawn = client.get(chart.attrs["src"])
    assert drawn["Content-Type"] == "image/svg+xml"
    assert b"Items received" in drawn.content and b"2016/17 Q4" in drawn.content


def test_the_quarter_ends_at_midnight_where_the_trust_is(with_feedback):
    """31 March 2017 is in British Summer Time: 23:30 there is 22:30 UTC."""
    publication = FeedbackPublication.objects.get(you_said=YOU_SAID)
    last_minute = timezone.make_aware(datetime.datetime(2017, 3, 31, 23, 30))
    publication.approved_at = last_minute
    publication.save()
    assert [h.you_said for h in feedback_section(with_feedback, IN_Q4).highlights] == [YOU_SAID]
    publication.approved_at = last_minute + datetime.timedelta(minutes=30)
    publication.save()
    assert feedback_section(with_feedback, IN_Q4).highlights == ()
    after = feedback_section(with_feedback, datetime.date(2017, 4, 1))
    assert [h.you_said for h in after.highlights] == [YOU_SAID]
    assert after.highlights[0].published == "1 April 2017"
