"""The paper's section "Service user feedback: you said, we did", built once for every format.

``feedback_section`` reads the loop's figures (``planboard.feedback.metrics.loop_figures``)
and the published "you said, we did" of the paper's quarter, the quarter that holds the
last day of the paper's reporting period (today's, for the live plan). It gives:

- the quarter's figures for the whole strategy, then for each directorate (every
  directorate the strategy has, with nothing received shown as 0);
- the last four quarters up to the paper's, for the chart and its data table;
- the quarter's highlights: the publications approved in the quarter and not withdrawn,
  newest first, up to ``HIGHLIGHTS``, each with the commitments its item serves.

Only published text reaches the paper: the moderated "you said" and "we did", never an
item's own text, its staff-only fields or anything unpublished. A strategy with no
feedback at all has no such section (None). The section is read as the feedback stands
when the paper is built, also for a closed period.

A fixed number of queries, whatever the number of items. The models are imported where
they are read, so the Word template can be built from the headings here without Django.
"""

import datetime
from dataclasses import dataclass

from planboard.lib.letters import long_date
from planboard.progress.periods import quarter_containing

TITLE = "Service user feedback: you said, we did"
NO_DATA = "no data"
WHOLE_STRATEGY = "Whole strategy"
HIGHLIGHTS = 5  # publications printed for the quarter, newest first
QUARTERS = 4  # quarters the chart shows, up to the paper's
FIGURE_HEADINGS = (
    "Directorate",
    "Items received",
    "Median days to first response",
    "Responses to concerns planning or making a change",
    "Changes made",
    "Friends and Family Test positive",
)
TREND_HEADINGS = ("Quarter", "Items received", "Changes made")
SHARE_NOTE = (
    "Responses to concerns planning or making a change: of the responses to items that "
    "raise a concern, the share saying a change is planned or made (Care Opinion's "
    "measure). An item about a service counts for its directorate."
)


def percent(rate: float | None) -> str:
    return NO_DATA if rate is None else f"{round(rate * 100)}%"


@dataclass(frozen=True)
class FeedbackFigures:
    """One row of the figures: the whole strategy or a directorate, in one quarter."""

    name: str
    received: int = 0
    median_days_to_respond: float | None = None
    share_changed: float | None = None
    changes_made: int = 0
    fft_share_positive: float | None = None

    @property
    def cells(self) -> tuple[str, ...]:
        """The row as the paper prints it, in the order of ``FIGURE_HEADINGS``."""
        days = self.median_days_to_respond
        return (
            self.name,
            str(self.received),
            NO_DATA if days is None else f"{days:g}",
            percent(self.share_changed),
            str(self.changes_made),
            percent(self.fft_share_positive),
        )


@dataclass(frozen=True)
class QuarterCount:
    """A quarter of the chart: items received and changes made."""

    quarter: str
    received: int
    changes_made: int

    @property
    def cells(self) -> tuple[str, ...]:
        return (self.quarter, str(self.received), str(self.changes_made))


@dataclass(frozen=True)
class Highlight:
    """A published "you said, we did": its date, its two texts, the commitments served."""

    published: str
    you_said: str
    we_did: str
    commitments: tuple[str, ...] = ()


@dataclass(frozen=True)
class FeedbackSection:
    quarter: str
    figures: tuple[FeedbackFigures, ...]  # the whole strategy first, then each directorate
    trend: tuple[QuarterCount, ...]  # oldest quarter first
    highlights: tuple[Highlight, ...]
    published: int  # how many were published in the quarter (``highlights`` holds the newest)

    title = TITLE
    figure_headings = FIGURE_HEADINGS
    trend_headings = TREND_HEADINGS
    share_note = SHARE_NOTE

    @property
    def intro(self) -> str:
        return (
            f"What service users and carers told the trust in {self.quarter}, "
            "how it was answered and what changed."
        )

    @property
    def whole(self) -> FeedbackFigures:
        return self.figures[0]

    @property
    def highlights_note(self) -> str:
        """What the paper says above the highlights."""
        if not self.published:
            return f'No "you said, we did" was published in {self.quarter}.'
        if self.published > len(self.highlights):
            return (
                f'The {len(self.highlights)} newest of the {self.published} "you said, we did" '
                f"published in {self.quarter}."
            )
        return f'"You said, we did" published in {self.quarter}, newest first.'

    @property
    def chart_description(self) -> str:
        """Alt text for the chart: what it shows, and where the numbers are."""
        parts = "; ".join(
            f"{q.quarter}: {q.received} received, {q.changes_made} changes made" for q in self.trend
        )
        return (
            f"Bar chart of feedback items received and changes made per quarter ({parts}). "
            "The table below gives the same figures."
        )


def feedback_section(strategy, as_of: datetime.date) -> FeedbackSection | None:
    """The section for ``strategy``'s paper whose reporting period ends ``as_of``, or
    None when the strategy has no feedback."""
    from planboard.feedback.metrics import loop_figures
    from planboard.feedback.models import Service, ServiceKind

    rows = loop_figures(strategy)
    if not rows:
        return None
    quarter, starts, ends = quarter_containing(as_of)
    quarters = last_quarters(as_of)
    by_key = {(row.quarter, row.service.pk if row.service else None): row for row in rows}
    directorates = Service.objects.filter(strategy=strategy, kind=ServiceKind.DIRECTORATE)
    figures = [_figures(WHOLE_STRATEGY, by_key.get((quarter, None)))]
    figures += [_figures(d.name, by_key.get((quarter, d.pk))) for d in directorates]
    trend = []
    for label in quarters:
        row = by_key.get((label, None))
        trend.append(
            QuarterCount(label, row.received if row else 0, row.changes_made if row else 0)
        )
    highlights, published = _highlights(strategy, starts, ends)
    return FeedbackSection(quarter, tuple(figures), tuple(trend), highlights, published)


def last_quarters(as_of: datetime.date, count: int = QUARTERS) -> list[str]:
    """The labels of the ``count`` quarters up to the one holding ``as_of``, oldest first."""
    label, first, _ = quarter_containing(as_of)
    quarters = [label]
    while len(quarters) < count:
        label, first, _ = quarter_containing(first - datetime.timedelta(days=1))
        quarters.insert(0, label)
    return quarters


def _figures(name: str, row) -> FeedbackFigures:
    if row is None:
        return FeedbackFigures(name)
    return FeedbackFigures(
        name,
        row.received,
        row.median_days_to_respond,
        row.share_changed,
        row.changes_made,
        row.fft_share_positive,
    )


def _highlights(strategy, starts, ends) -> tuple[tuple[Highlight, ...], int]:
    from django.db.models import Prefetch
    from django.utils import timezone

    from planboard.feedback.models import FeedbackPublication
    from planboard.plans.models import Commitment

    def moment(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    published = FeedbackPublication.objects.filter(
        item__strategy=strategy,
        approved_at__gte=moment(starts),
        approved_at__lt=moment(ends + datetime.timedelta(days=1)),
        withdrawn_at__isnull=True,
    )
    newest = (
        published.order_by("-approved_at", "-pk")
        .select_related("item")
        .only("you_said", "we_did", "approved_at", "item__id")
        .prefetch_related(
            Prefetch(
                "item__commitments",
                queryset=Commitment.objects.select_related("theme").only(
                    "number", "text", "theme__number"
                ),
            )
        )[:HIGHLIGHTS]
    )
    highlights = tuple(
        Highlight(
            published=long_date(timezone.localtime(p.approved_at).date()),
            you_said=p.you_said,
            we_did=p.we_did,
            commitments=tuple(f"{c.ref} {c.text}" for c in p.item.commitments.all()),
        )
        for p in newest
    )
    return highlights, published.count()
