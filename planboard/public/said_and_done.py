"""The public "you said, we did": the published items of a strategy, as plain data.

It reads only what the governance team approved for the public: each publication's
``you_said`` and ``we_did``, the item's source, the names of its services, the month it
was published, and the commitments and themes of the plan it served, in the words the
public page shows them (so a commitment or theme that is not on the public page is not
shown here either). It never reads an item's own title or text, its responses, tags,
author, staff-only fields (Care Opinion's criticality), whether it raised a concern, or
who approved it or overruled a flag. Withdrawn and unapproved items are left out.

The JSON and CSV hold exactly what the page shows, for all the published items that
match the filters; their field names are documented in docs/public-page.md.
"""

import calendar
import csv
import datetime
import io
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from planboard.feedback.models import FeedbackItem, FeedbackPublication, Service, Source
from planboard.lib.spreadsheets import csv_cell

FORMAT = "planboard-you-said-we-did"
VERSION = 1
CSV_COLUMNS = ("Published", "Source", "Services", "You said", "We did", "Commitments", "Themes")

# The source in words a member of the public would use.
SOURCE_WORDS = {
    Source.CARE_OPINION: "Care Opinion",
    Source.FFT_COMMENT: "Friends and Family Test",
    Source.SURVEY: "A survey",
    Source.FORUM_OR_GROUP: "A forum or group",
    Source.COMPLAINT: "A complaint",
    Source.COMPLIMENT: "A compliment",
    Source.EMAIL: "An e-mail",
    Source.EVENT: "An event",
    Source.OTHER: "Another way",
}


class FilterError(ValueError):
    """A filter that is not one of the choices; its message names the field."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class ServedCommitment:
    theme: int
    number: int
    text: str

    @property
    def ref(self) -> str:
        return f"{self.theme}.{self.number}"


@dataclass(frozen=True)
class ServedTheme:
    number: int
    title: str


@dataclass(frozen=True)
class PublicFeedback:
    you_said: str
    we_did: str
    source: str
    source_words: str
    services: tuple[str, ...]
    published: datetime.date
    commitments: tuple[ServedCommitment, ...]
    themes: tuple[ServedTheme, ...]

    @property
    def month(self) -> str:
        return f"{calendar.month_name[self.published.month]} {self.published.year}"


@dataclass(frozen=True)
class Filters:
    theme: int | None = None
    service: int | None = None

    @property
    def key(self) -> str:
        return f"{self.theme or ''}:{self.service or ''}"

    def as_query(self) -> dict:
        found = {"theme": self.theme, "service": self.service}
        return {name: value for name, value in found.items() if value is not None}


def published_publications(strategy):
    """The strategy's published "you said, we did", newest first, reading only public fields."""
    return (
        FeedbackPublication.objects.filter(
            item__strategy=strategy, approved_at__isnull=False, withdrawn_at__isnull=True
        )
        .select_related("item")
        .only("pk", "you_said", "we_did", "approved_at", "item__id", "item__source")
        .order_by("-approved_at", "-pk")
    )


def any_published(strategy) -> bool:
    return published_publications(strategy).exists()


def public_services(strategy):
    """The services that published items are about, by name: the service filter's choices."""
    published = Q(
        feedback_items__publication__approved_at__isnull=False,
        feedback_items__publication__withdrawn_at__isnull=True,
    )
    return list(
        Service.objects.filter(published, strategy=strategy)
        .distinct()
        .order_by("name")
        .only("pk", "name")
    )


def read_filters(query, *, themes, services) -> Filters:
    """The filters asked for in ``query`` (GET parameters), checked against the choices."""
    theme = _choice(query, "theme", {t.number for t in themes}, "choose a theme from the list")
    service = _choice(query, "service", {s.pk for s in services}, "choose a service from the list")
    return Filters(theme=theme, service=service)


def _choice(query, field, allowed, message):
    raw = (query.get(field) or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) not in allowed:
        raise FilterError(field, message)
    return int(raw)


def filtered(strategy, filters: Filters):
    publications = published_publications(strategy)
    if filters.service is not None:
        publications = publications.filter(
            item__in=FeedbackItem.objects.filter(services__pk=filters.service)
        )
    if filters.theme is not None:
        listed = Q(commitments__publication__isnull=True) | Q(commitments__publication__listed=True)
        by_commitment = Q(
            listed,
            commitments__theme__number=filters.theme,
            commitments__retired_on__isnull=True,
        )
        publications = publications.filter(
            item__in=FeedbackItem.objects.filter(
                Q(by_commitment) | Q(actions__theme__number=filters.theme), strategy=strategy
            )
        )
    return publications


def public_feedback(publications, plan) -> list[PublicFeedback]:
    """``publications`` (a list or queryset) as public items, in three more queries.

    ``plan`` is the strategy's ``PublicPlan``: a commitment or theme is shown only as
    that shows it.
    """
    publications = list(publications)
    items = {p.item_id: p.item for p in publications}
    services, commitments, actions = _links(list(items))
    theme_titles = {theme.number: theme.title for theme in plan.themes}
    commitment_texts = {
        (theme.number, c.number): c.text for theme in plan.themes for c in theme.commitments
    }
    shown = []
    for publication in publications:
        pk = publication.item_id
        served = tuple(
            ServedCommitment(theme, number, commitment_texts[(theme, number)])
            for theme, number in sorted(commitments.get(pk, ()))
            if (theme, number) in commitment_texts
        )
        numbers = {c.theme for c in served} | set(actions.get(pk, ()))
        shown.append(
            PublicFeedback(
                you_said=publication.you_said,
                we_did=publication.we_did,
                source=items[pk].source,
                source_words=SOURCE_WORDS.get(items[pk].source, "Another way"),
                services=tuple(sorted(services.get(pk, ()))),
                published=timezone.localdate(publication.approved_at),
                commitments=served,
                themes=tuple(
                    ServedTheme(n, theme_titles[n]) for n in sorted(numbers) if n in theme_titles
                ),
            )
        )
    return shown


def _links(item_pks):
    """Each item's service names, (theme, number) of its commitments and its actions' themes."""
    services, commitments, actions = {}, {}, {}
    through = FeedbackItem.services.through.objects.filter(feedbackitem_id__in=item_pks)
    for pk, name in through.values_list("feedbackitem_id", "service__name"):
        services.setdefault(pk, set()).add(name)
    through = FeedbackItem.commitments.through.objects.filter(
        feedbackitem_id__in=item_pks, commitment__retired_on__isnull=True
    )
    for pk, theme, number in through.values_list(
        "feedbackitem_id", "commitment__theme__number", "commitment__number"
    ):
        commitments.setdefault(pk, set()).add((theme, number))
    through = FeedbackItem.actions.through.objects.filter(feedbackitem_id__in=item_pks)
    for pk, theme in through.values_list("feedbackitem_id", "action__theme__number"):
        actions.setdefault(pk, set()).add(theme)
    return services, commitments, actions


def as_json(plan, items, *, url: str, filters: Filters) -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "strategy": {
            "slug": plan.slug,
            "title": plan.title,
            "organisation": plan.organisation,
            "url": url,
        },
        "filters": filters.as_query(),
        "items": [
            {
                "published": item.published.strftime("%Y-%m"),
                "source": item.source,
                "source_text": item.source_words,
                "services": list(item.services),
                "you_said": item.you_said,
                "we_did": item.we_did,
                "commitments": [
                    {"ref": c.ref, "theme": c.theme, "number": c.number, "text": c.text}
                    for c in item.commitments
                ],
                "themes": [{"number": t.number, "title": t.title} for t in item.themes],
            }
            for item in items
        ],
    }


def as_csv(items) -> bytes:
    """One row per published item, newest first; UTF-8 with a byte order mark."""
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(CSV_COLUMNS)
    for item in items:
        row = (
            item.published.strftime("%Y-%m"),
            item.source_words,
            "; ".join(item.services),
            item.you_said,
            item.we_did,
            "; ".join(f"{c.ref} {c.text}" for c in item.commitments),
            "; ".join(f"{t.number} {t.title}" for t in item.themes),
        )
        writer.writerow([csv_cell(value) for value in row])
    return ("\ufeff" + output.getvalue()).encode("utf-8")
