"""What the public summary of a strategy's engagement shows: aggregates only.

Activities by directorate and level come from the engagement map's own count
(``planboard.engagement.mapping``): an activity counts once in each directorate it is
about, and once across the trust in the levels reached. Participation is totalled by
perspective; a total of 1 to 4 people is shown as "fewer than 5", and the grand total
is left out when it would let someone work such a total out. "What it changed" lists
the outcomes governance published, newest first, with the activity's title, kind,
level, directorates and dates.

Nothing else of an activity is read here: not its purpose, its staff record of the
outcome, its lead or reference, its equality monitoring or anything in the register.
"""

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum

from planboard.engagement import mapping
from planboard.engagement.models import Activity, Kind, Level, Participation, Perspective
from planboard.engagement.small_numbers import is_small, people_shown
from planboard.lib.spreadsheets import csv_cell


@dataclass
class LevelRow:
    label: str
    counts: list[int]  # one per level, lowest first
    total: int


@dataclass
class PublicOutcome:
    title: str
    kind: str
    level: str
    level_label: str
    level_colour: str
    directorates: list[str]
    starts_on: object
    ends_on: object
    ongoing: bool
    text: str
    published_on: object

    @property
    def when(self) -> str:
        first = f"{self.starts_on:%B %Y}"
        if self.ongoing and self.ends_on is None:
            return f"Since {first}"
        if self.ends_on is None or f"{self.ends_on:%B %Y}" == first:
            return first
        return f"{first} to {self.ends_on:%B %Y}"


@dataclass
class EngagementContent:
    slug: str
    title: str
    organisation: str
    introduction: str
    levels: list[tuple[str, str, str]]  # (value, label, tag colour), lowest first
    by_directorate: list[LevelRow] = field(default_factory=list)
    across_the_trust: LevelRow | None = None
    participation: list[tuple[str, str]] = field(default_factory=list)  # (label, shown)
    participation_total: str = ""
    outcomes: list[PublicOutcome] = field(default_factory=list)


def _row(label: str, levels: Counter) -> LevelRow:
    counts = [levels.get(value, 0) for value in Level.values]
    return LevelRow(label, counts, sum(counts))


def shown_participation(sums: dict) -> tuple[list[tuple[str, str]], str]:
    """How many of each perspective took part (``{perspective: people}``) as the page
    shows them, and the total, "" when it would let a reader work out a number shown
    as "fewer than 5"."""
    rows = [
        (Perspective(value).label, people_shown(sums.get(value, 0))) for value in Perspective.values
    ]
    total = sum(sums.values())
    hidden = any(is_small(count) for count in sums.values())
    return rows, ("" if hidden and not is_small(total) else people_shown(total))


def _participation(strategy) -> tuple[list[tuple[str, str]], str]:
    sums = dict(
        Participation.objects.filter(activity__strategy=strategy)
        .values_list("perspective")
        .annotate(total=Sum("count"))
        .values_list("perspective", "total")
    )
    return shown_participation(sums)


def _outcomes(strategy, row_names: dict) -> list[PublicOutcome]:
    published = list(
        Activity.objects.filter(strategy=strategy, outcome_published_at__isnull=False)
        .order_by("-outcome_published_at", "title")
        .values(
            "id",
            "title",
            "kind",
            "level",
            "starts_on",
            "ends_on",
            "ongoing",
            "public_outcome",
            "outcome_published_at",
        )
    )
    links = Activity.services.through.objects.filter(activity_id__in=[a["id"] for a in published])
    about: dict[int, set] = defaultdict(set)
    for activity_id, service_id in links.values_list("activity_id", "service_id"):
        about[activity_id].add(row_names[service_id])
    return [
        PublicOutcome(
            title=a["title"],
            kind=Kind(a["kind"]).label,
            level=a["level"],
            level_label=Level(a["level"]).label,
            level_colour=Level(a["level"]).colour,
            directorates=sorted(about[a["id"]], key=str.lower) or [mapping.ACROSS_THE_TRUST],
            starts_on=a["starts_on"],
            ends_on=a["ends_on"],
            ongoing=a["ongoing"],
            text=a["public_outcome"],
            published_on=a["outcome_published_at"].date(),
        )
        for a in published
    ]


def engagement_content(strategy, introduction: str) -> EngagementContent:
    """The public summary of ``strategy``'s engagement, in a fixed number of queries."""
    grid = mapping.by_commitment(strategy)
    rows = [
        _row(line.label, grid.row_totals[line.key].levels)
        for line in grid.rows
        if line.key in grid.row_totals
    ]
    trust = grid.total.levels  # every activity once, at its level
    lines, row_of = mapping.directorates(strategy)
    names = {line.key: line.label for line in lines}
    participation, total = _participation(strategy)
    return EngagementContent(
        slug=strategy.slug,
        title=strategy.title,
        organisation=strategy.organisation,
        introduction=introduction,
        levels=[(level.value, level.label, level.colour) for level in Level],
        by_directorate=rows,
        across_the_trust=_row("All activities", trust),
        participation=participation,
        participation_total=total,
        outcomes=_outcomes(strategy, {pk: names[row] for pk, row in row_of.items()}),
    )


def as_json(content: EngagementContent, *, url: str) -> dict:
    levels = [label for _, label, _ in content.levels]
    return {
        "format": "planboard-engagement",
        "version": 1,
        "strategy": {
            "slug": content.slug,
            "title": content.title,
            "organisation": content.organisation,
            "url": url,
        },
        "introduction": content.introduction,
        "levels": levels,
        "activities_by_directorate": [
            {
                "directorate": row.label,
                **dict(zip(levels, row.counts, strict=True)),
                "total": row.total,
            }
            for row in content.by_directorate
        ],
        "activities_by_level": dict(zip(levels, content.across_the_trust.counts, strict=True)),
        "participation": dict(content.participation),
        "participation_total": content.participation_total or None,
        "what_it_changed": [
            {
                "title": o.title,
                "kind": o.kind,
                "level": o.level_label,
                "directorates": o.directorates,
                "when": o.when,
                "what_it_changed": o.text,
                "published_on": o.published_on.isoformat(),
            }
            for o in content.outcomes
        ],
    }


def as_csv(content: EngagementContent) -> bytes:
    """What it changed, one row per published outcome."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Activity", "Kind", "Level", "Directorates", "When", "What it changed"])
    for o in content.outcomes:
        row = [o.title, o.kind, o.level_label, "; ".join(o.directorates), o.when, o.text]
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue().encode("utf-8-sig")
