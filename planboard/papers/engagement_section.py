"""The paper's section "Service user engagement", built once for every format.

``engagement_section`` reads the engagement map (``planboard.engagement.mapping``, the
rule the map page and the public summary count by) for the paper's quarter, the
quarter that holds the last day of the paper's reporting period (today's, for the live
plan). It gives:

- the map: each directorate's activities in the quarter at each level of involvement
  and the highest level reached, then the gaps in words: the directorates with no
  engagement in the quarter, and the commitments no activity served in it (named when
  there are a few, counted and listed at the end of the section when there are more);
- the levels reached: activities at each level across the trust in the quarter and the
  three before, for the chart and its data table;
- the outcomes: the activities that ended in the quarter (a one-off activity, the day
  it met), how many have an outcome recorded, and how many fed it back to those who
  took part;
- participation by perspective: people counted across the quarter's activities;
- reward: what was due for involvement in the quarter and what was paid in it, and how
  many people were rewarded. Totals only, never a person; when fewer than 5 people
  share a total it says "fewer than 5" and the amount is not shown, so no one's pay
  can be worked out.

Nothing else of the private register reaches the paper. Equality monitoring is left
out: it is optional per activity, so a trust-wide total would mix activities that
asked with ones that did not, and small groups would need suppressing cell by cell.

A strategy with no activities has no such section (None). A fixed number of queries,
whatever the number of activities. The models are imported where they are read, so
the Word template can be built from the headings here without Django.
"""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from planboard.engagement.small_numbers import SMALL, is_small, people_shown
from planboard.progress.periods import parse_quarter_label, quarter_containing

TITLE = "Service user engagement"
LEVELS = ("inform", "consult", "involve", "collaborate", "coproduce")
LEVEL_LABELS = ("Inform", "Consult", "Involve", "Collaborate", "Co-produce")
MAP_HEADINGS = ("Directorate", *LEVEL_LABELS, "Activities", "Highest level")
TREND_HEADINGS = ("Quarter", *LEVEL_LABELS, "Activities")
PERSPECTIVE_HEADINGS = ("Perspective", "People taking part")
REWARD_HEADINGS = ("Reward", "People", "Amount")
WHOLE_TRUST = "Whole trust"
NONE_REACHED = "None"
NOT_SHOWN = "not shown"
GAPS_IN_WORDS = 5  # more gap commitments than this are listed at the end of the section
SHORT_TEXT = 80  # characters of a commitment's text in the list of gaps
SMALL_NOTE = (
    f"Reward is counted in totals only. Where fewer than {SMALL} people share a total, "
    "the number says so and the amount is not shown, so no one's pay can be worked out."
)


def money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def short(text: str, limit: int = SHORT_TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class LevelRow:
    """A directorate (or the whole trust, or a quarter): activities at each level."""

    name: str
    counts: tuple[int, ...]  # in the order of ``LEVELS``
    activities: int
    highest: str = ""  # the highest level reached ("coproduce"), "" for none

    @property
    def highest_label(self) -> str:
        return LEVEL_LABELS[LEVELS.index(self.highest)] if self.highest else NONE_REACHED

    @property
    def highest_colour(self) -> str:
        """The colour of the highest level's tag (``Level.colour``), "" for none."""
        from planboard.engagement.models import Level

        return str(Level(self.highest).colour) if self.highest else ""

    @property
    def cells(self) -> tuple[str, ...]:
        return (
            self.name,
            *(str(n) for n in self.counts),
            str(self.activities),
            self.highest_label,
        )

    @property
    def in_words(self) -> str:
        pairs = zip(self.counts, LEVEL_LABELS, strict=True)
        return ", ".join(f"{n} {label.lower()}" for n, label in pairs)

    @property
    def trend_cells(self) -> tuple[str, ...]:
        return (self.name, *(str(n) for n in self.counts), str(self.activities))


@dataclass(frozen=True)
class RewardLine:
    """A reward total: the people it is for and the amount, or None where hidden."""

    label: str
    people: int
    amount: Decimal | None

    @property
    def people_text(self) -> str:
        return people_shown(self.people)

    @property
    def amount_text(self) -> str:
        return NOT_SHOWN if self.amount is None else money(self.amount)

    @property
    def cells(self) -> tuple[str, ...]:
        return (self.label, self.people_text, self.amount_text)


@dataclass(frozen=True)
class EngagementSection:
    quarter: str
    directorates: tuple[LevelRow, ...]  # the whole trust first, then each row of the map
    quiet: tuple[str, ...]  # directorates with no engagement in the quarter
    unserved: tuple[str, ...]  # commitments no activity served: "1.2 We will …"
    trend: tuple[LevelRow, ...]  # the quarter and the three before, oldest first
    ended: int  # activities that ended in the quarter
    with_outcome: int
    fed_back: int
    perspectives: tuple[tuple[str, int], ...]  # (perspective, people), most first
    reward: tuple[RewardLine, ...]

    title = TITLE
    map_headings = MAP_HEADINGS
    trend_headings = TREND_HEADINGS
    perspective_headings = PERSPECTIVE_HEADINGS
    reward_headings = REWARD_HEADINGS
    small_note = SMALL_NOTE

    @property
    def intro(self) -> str:
        return (
            f"Where service users, carers and the public were involved in {self.quarter}, "
            "at what level, what it changed, and where the gaps are."
        )

    @property
    def map_caption(self) -> str:
        return f"Engagement activities by directorate and level of involvement, {self.quarter}"

    @property
    def trend_caption(self) -> str:
        return "Engagement activities by level of involvement per quarter"

    @property
    def directorate_gaps(self) -> str:
        if not self.quiet:
            return f"Every directorate had engagement in {self.quarter}."
        return f"No engagement in {self.quarter}: {', '.join(self.quiet)}."

    @property
    def commitment_gaps(self) -> str:
        count = len(self.unserved)
        if not count:
            return f"Every commitment was served by an activity in {self.quarter}."
        if count > GAPS_IN_WORDS:
            return (
                f"{count} commitments were served by no activity in {self.quarter}, "
                "listed at the end of this section."
            )
        listed = "; ".join(self.unserved)
        stop = "" if listed.endswith((".", "…")) else "."
        return f"Served by no activity in {self.quarter}: {listed}{stop}"

    @property
    def unserved_listed(self) -> tuple[str, ...]:
        """The commitments listed at the end of the section (when too many for words)."""
        return self.unserved if len(self.unserved) > GAPS_IN_WORDS else ()

    @property
    def outcomes_note(self) -> str:
        if not self.ended:
            return f"No activity ended in {self.quarter}."
        ended = "1 activity" if self.ended == 1 else f"{self.ended} activities"
        return (
            f"{ended} ended in {self.quarter}: {self.with_outcome} recorded what changed "
            f"because of it, and {self.fed_back} fed that back to the people who took part."
        )

    @property
    def chart_description(self) -> str:
        parts = "; ".join(f"{q.name}: {q.in_words}" for q in self.trend)
        return (
            f"Bar chart of engagement activities at each level of involvement per quarter "
            f"({parts}). The table below gives the same figures."
        )


def engagement_section(strategy, as_of: datetime.date) -> EngagementSection | None:
    """The section for ``strategy``'s paper whose reporting period ends ``as_of``, or
    None when the strategy has no engagement activities."""
    from planboard.engagement import mapping
    from planboard.engagement.models import Activity
    from planboard.papers.feedback_section import last_quarters

    if not Activity.objects.filter(strategy=strategy).exists():
        return None
    quarter, starts, ends = quarter_containing(as_of)
    in_quarter = mapping.Filters(starts=starts, ends=ends)
    grid = mapping.by_commitment(strategy, in_quarter)
    labels = last_quarters(as_of)
    first = parse_quarter_label(labels[0])[0]
    trend_grid = mapping.by_quarter(
        strategy,
        mapping.Filters(starts=first, ends=ends),
        [mapping.Line(label, label) for label in labels],
    )
    trend = tuple(_level_row(label, trend_grid.column_totals.get(label)) for label in labels)
    whole = LevelRow(WHOLE_TRUST, trend[-1].counts, trend[-1].activities, trend[-1].highest)
    rows = [whole] + [_level_row(line.label, grid.row_totals.get(line.key)) for line in grid.rows]
    quiet = tuple(line.label for line in grid.rows if line.key not in grid.row_totals)
    unserved = tuple(
        f"{line.label} {short(line.title)}"
        for line in grid.columns
        if line.key not in grid.column_totals
    )
    ended, with_outcome, fed_back = _outcomes(strategy, in_quarter, starts, ends)
    return EngagementSection(
        quarter=quarter,
        directorates=tuple(rows),
        quiet=quiet,
        unserved=unserved,
        trend=trend,
        ended=ended,
        with_outcome=with_outcome,
        fed_back=fed_back,
        perspectives=_perspectives(strategy, in_quarter),
        reward=_reward(strategy, quarter, starts, ends),
    )


def _level_row(name: str, cell) -> LevelRow:
    if cell is None:
        return LevelRow(name, (0,) * len(LEVELS), 0)
    counts = tuple(cell.levels.get(level, 0) for level in LEVELS)
    return LevelRow(name, counts, cell.activities, cell.highest)


def _outcomes(strategy, in_quarter, starts, ends) -> tuple[int, int, int]:
    """Activities that ended in the quarter (a one-off, the day it met): how many, how
    many recorded an outcome, how many fed it back (one query)."""
    from django.db.models import Count, Q

    from planboard.engagement import mapping

    ended = Q(ends_on__gte=starts, ends_on__lte=ends) | Q(
        ends_on__isnull=True, ongoing=False, starts_on__gte=starts, starts_on__lte=ends
    )
    counted = (
        mapping.filtered(strategy, in_quarter)
        .filter(ended)
        .aggregate(
            ended=Count("pk"),
            with_outcome=Count("pk", filter=~Q(outcome="")),
            fed_back=Count("pk", filter=Q(fed_back_on__isnull=False)),
        )
    )
    return counted["ended"], counted["with_outcome"], counted["fed_back"]


def _perspectives(strategy, in_quarter) -> tuple[tuple[str, int], ...]:
    """People counted by perspective across the quarter's activities (one query)."""
    from django.db.models import Sum

    from planboard.engagement import mapping
    from planboard.engagement.models import Participation, Perspective

    rows = (
        Participation.objects.filter(activity__in=mapping.filtered(strategy, in_quarter))
        .values("perspective")
        .annotate(people=Sum("count"))
    )
    totals = {row["perspective"]: row["people"] for row in rows if row["people"]}
    order = {value: rank for rank, value in enumerate(Perspective.values)}
    kept = sorted(totals.items(), key=lambda item: (-item[1], order.get(item[0], 99)))
    return tuple((Perspective(value).label, people) for value, people in kept)


def _reward(strategy, quarter, starts, ends) -> tuple[RewardLine, ...]:
    """What was due for involvement in the quarter, what was paid in it, and for how
    many people; an amount fewer than ``SMALL`` people share is hidden (one query)."""
    from django.db.models import Q

    from planboard.engagement.models import Involvement

    rows = Involvement.objects.filter(
        Q(took_part_on__gte=starts, took_part_on__lte=ends)
        | Q(paid_on__gte=starts, paid_on__lte=ends),
        activity__strategy=strategy,
    ).values_list("participant_id", "took_part_on", "paid_on", "amount_due", "expenses")
    due, paid = Counter(), Counter()
    for person, took_part_on, paid_on, amount, expenses in rows:
        total = amount + expenses
        if not total:
            continue
        if starts <= took_part_on <= ends:
            due[person] += total
        if paid_on is not None and starts <= paid_on <= ends:
            paid[person] += total
    return (
        _reward_line(f"Due for involvement in {quarter}", due),
        _reward_line(f"Paid in {quarter}", paid),
    )


def _reward_line(label: str, amounts: Counter) -> RewardLine:
    people = len(amounts)
    total = sum(amounts.values(), Decimal(0))
    return RewardLine(label, people, None if is_small(people) else total)
