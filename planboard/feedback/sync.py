"""Keeping a strategy's feedback items in step with its Care Opinion stories.

``sync_care_opinion`` reads every story first (``care_opinion.read_stories``), then
writes them all in one transaction through the feedback app's services
(``services.record_item``, ``loop.record_response``): a story is matched to the item
with the same Care Opinion id and a response to the response with the same id, so a
second sync updates and never duplicates. When Care Opinion cannot be read (a wrong
key, malformed JSON, no answer) nothing has been written yet, and the error's one-line
message is the sync's.

The scheduler (``planboard scheduler``, each turn) also queues the sync of each strategy
that has Care Opinion set up, every ``CARE_OPINION_SYNC_HOURS``; ``planboard worker``
runs it. See docs/feedback.md ("Care Opinion").
"""

import datetime
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from planboard.feedback import care_opinion
from planboard.feedback.bulk import New, known_items
from planboard.feedback.care_opinion import CareOpinionClient, ChangeClaim, Story
from planboard.feedback.loop import clean_response, record_response
from planboard.feedback.models import (
    TEXT_LIMIT,
    TITLE_LIMIT,
    Change,
    Polarity,
    Source,
)
from planboard.feedback.services import (
    CODE_LIMIT,
    SHORT_LIMIT,
    clean_item,
    new_item,
    record_item,
    services_for_codes,
)
from planboard.lib import clock
from planboard.lib.services import ServiceError, service
from planboard.people.permissions import (
    COMMAND_LINE,
    planboard_itself,
    require_feedback_rights,
)

logger = logging.getLogger(__name__)

CHANGES = {
    ChangeClaim.NONE: Change.NONE,
    ChangeClaim.PLANNED: Change.PLANNED,
    ChangeClaim.MADE: Change.MADE,
    ChangeClaim.UNKNOWN: Change.UNKNOWN,
}
POLARITIES = {
    care_opinion.Polarity.POSITIVE: Polarity.POSITIVE,
    care_opinion.Polarity.NEGATIVE: Polarity.NEGATIVE,
}
NO_TEXT = "(Care Opinion gave no text.)"
# Criticality that says the story criticises nothing.
NOT_CRITICAL = {"not critical", "none", "no criticality", "not known", "unknown"}


@dataclass
class SyncSummary:
    """What a sync read and did. ``created`` and ``updated`` count the stories whose
    feedback item was added or changed (a change to one of its responses counts as a
    change to the story); ``unmapped_codes`` are the health services' codes mapped to
    none of the strategy's services, with Care Opinion's name and how many stories."""

    stories: int = 0
    responses: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unmapped_codes: dict[str, dict] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "stories": self.stories,
            "responses": self.responses,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "unmapped": len(self.unmapped_codes),
            "unmapped_codes": [
                {"code": code, **found} for code, found in sorted(self.unmapped_codes.items())
            ],
        }


def raises_concern(story: Story) -> bool:
    """Whether ``story`` raises a concern: a tag applied as "could be improved", or a
    criticality from the moderator that is not "not critical" (any level from
    minimally to severely critical)."""
    if any(tag.polarity == care_opinion.Polarity.NEGATIVE for tag in story.tags):
        return True
    level = (story.criticality or "").strip().lower()
    return bool(level) and level not in NOT_CRITICAL and not level.startswith("not ")


def _cut(value: str | None, limit: int) -> str:
    return (value or "").strip()[:limit].strip()


def item_values(story: Story, services) -> dict:
    """What ``record_item`` is given for ``story``."""
    submitted = story.submitted or story.published
    return {
        "source": Source.CARE_OPINION,
        "source_id": story.id,
        "given_on": timezone.localtime(submitted).date() if submitted else None,
        "published_at": story.published,
        "title": _cut(story.title, TITLE_LIMIT),
        "text": _cut(story.body, TEXT_LIMIT) or _cut(story.title, TEXT_LIMIT) or NO_TEXT,
        "author_role": _cut(story.author_role, SHORT_LIMIT),
        "staff_only": {"criticality": story.criticality} if story.criticality else {},
        "raised_concern": raises_concern(story),
        "services": services,
        "tags": {
            _cut(tag.name, SHORT_LIMIT): POLARITIES.get(tag.polarity, Polarity.NEUTRAL)
            for tag in story.tags
            if _cut(tag.name, SHORT_LIMIT)
        }.items(),
    }


def response_values(story: Story, response, item) -> dict:
    """What ``record_response`` is given for one of ``story``'s responses, recorded on
    ``item``. A response without an id is known by its time, so a second sync still
    finds it; one without a time is given the story's (else when it was received)."""
    responded_at = response.published or story.published or story.submitted or item.received_at
    return {
        "source_id": response.id or f"at {responded_at:%Y-%m-%dT%H:%M:%S}",
        "author": _cut(response.author, 200),
        "organisation": _cut(response.organisation, 300),
        "responded_at": responded_at,
        "text": _cut(response.body, TEXT_LIMIT) or NO_TEXT,
        "change": CHANGES[response.change],
        "change_reason": "",
    }


def _same(existing, values: dict) -> bool:
    return all(getattr(existing, name) == value for name, value in values.items())


@service
def sync_care_opinion(
    strategy,
    *,
    since: datetime.date | None = None,
    user=COMMAND_LINE,
    client: CareOpinionClient | None = None,
) -> SyncSummary:
    """Bring ``strategy``'s Care Opinion feedback up to date with the subscription's
    stories (submitted on or after ``since`` when given); return what was done.

    Reads every story before writing anything; raises ``CareOpinionError`` (nothing
    written) when Care Opinion cannot be read, and ``ServiceError`` (nothing written)
    when a story cannot be recorded.
    """
    require_feedback_rights(user, "sync the feedback from Care Opinion")
    stories = list(care_opinion.read_stories(since, client=client))
    summary = SyncSummary(stories=len(stories))
    codes = {hs.code.strip() for story in stories for hs in story.health_services if hs.code}
    # A code longer than a service's can be mapped to nothing: it is reported unmapped.
    codes = {code for code in codes if len(code) <= CODE_LIMIT}
    mapped = services_for_codes(strategy, codes)
    mapped = {code.strip().upper(): found for code, found in mapped.items()}
    with transaction.atomic():
        prepared = []
        for story in stories:
            services = _services_of(story, mapped, summary)
            with _named(story):
                values = item_values(story, services)
                clean = clean_item(strategy, values)
            prepared.append((story, values, clean))
        known = known_items(
            strategy, Source.CARE_OPINION, [clean["source_id"] for _, _, clean in prepared]
        )
        new, by_hand = New(), []
        for story, values, clean in prepared:
            item = known.items.get(clean["source_id"])
            services, tags = clean.pop("services"), clean.pop("tags")
            fresh = new_item(strategy, clean, user) if item is None else None
            with _named(story):
                responses = _response_rows(story, item or fresh)
                responses = [clean_response(values) for values in responses]
            if fresh is not None and clean["source_id"] not in new.source_ids:
                new.add(fresh, services, tags, responses)
                summary.created += 1
            elif item is not None and known.unchanged(item, clean, services, tags, responses):
                summary.unchanged += 1
            else:
                by_hand.append((story, values))
            summary.responses += len(responses)
        new.write(user)
        for story, values in by_hand:  # changed since the last sync: one by one
            with _named(story):
                recorded = record_item(strategy, user=user, **values)
                changed = _record_responses(recorded.item, story, user)
            if recorded.created:
                summary.created += 1
            elif recorded.outcome == "updated" or changed:
                summary.updated += 1
            else:
                summary.unchanged += 1
    return summary


def _services_of(story: Story, mapped: dict, summary: SyncSummary) -> list:
    """The strategy's services ``story`` is about; its codes mapped to none are counted
    in ``summary``."""
    services, unmapped = {}, {}
    for health_service in story.health_services:
        code = (health_service.code or "").strip().upper()
        if code in mapped:
            services[mapped[code].pk] = mapped[code]
        elif code:
            unmapped.setdefault(code, health_service.name or "")
    for code, name in unmapped.items():
        found = summary.unmapped_codes.setdefault(code, {"name": name, "stories": 0})
        found["stories"] += 1
    return list(services.values())


@contextmanager
def _named(story: Story):
    """A ``ServiceError`` raised inside names the story it was about."""
    try:
        yield
    except ServiceError as error:
        name = story.id if len(story.id) <= 20 else story.id[:20] + "..."
        raise ServiceError(f"Care Opinion story {name}: {error}", error.field) from None


def _response_rows(story: Story, item) -> list[dict]:
    """What ``record_response`` is given for each of ``story``'s responses on ``item``,
    each known by its source id (two known by the same time are numbered)."""
    rows, seen = [], set()
    for response in story.responses:
        values = response_values(story, response, item)
        key = _cut(values["source_id"], SHORT_LIMIT)
        number = 1
        while key in seen:  # two responses known by the same time: keep both
            number += 1
            key = _cut(f"{values['source_id'][: SHORT_LIMIT - 8]} ({number})", SHORT_LIMIT)
        seen.add(key)
        values["source_id"] = key
        rows.append(values)
    return rows


def _record_responses(item, story: Story, user) -> bool:
    """Record ``story``'s responses on ``item``; True if any was added or changed."""
    existing = {response.source_id: response for response in item.responses.all()}
    changed = False
    for values in _response_rows(story, item):
        before = existing.get(values["source_id"])
        if before is not None and _same(before, values):
            continue
        record_response(item, user=user, **values)
        changed = True
    return changed


# --- on the schedule -----------------------------------------------------------------


def strategies_to_sync():
    """The strategies that have Care Opinion set up: when the API key is set, those
    whose governance team has mapped a code (a service's own or a source code) or that
    have Care Opinion feedback already."""
    from planboard.plans.models import Strategy

    if not settings.CARE_OPINION_API_KEY:
        return Strategy.objects.none()
    return (
        Strategy.objects.filter(
            Q(feedback_services__code__gt="")
            | Q(feedback_service_codes__isnull=False)
            | Q(feedback_items__source=Source.CARE_OPINION)
        )
        .distinct()
        .order_by("pk")
    )


def sync_slot(local: datetime.datetime) -> str:
    """The run of the day ``local`` falls in: runs start at midnight in the trust's
    time zone and every ``CARE_OPINION_SYNC_HOURS`` after it."""
    every = settings.CARE_OPINION_SYNC_HOURS
    return f"{local.hour // every * every:02d}:00"


def queue_care_opinion_syncs(now=None) -> list:
    """Queue the sync of each strategy with Care Opinion set up, once per run of the
    day whichever scheduler asks first; return the strategies queued."""
    local = timezone.localtime(now or clock.now())
    slot = sync_slot(local)
    return [
        strategy for strategy in strategies_to_sync() if queue_sync(strategy, local.date(), slot)
    ]


@service
def queue_sync(strategy, day: datetime.date, slot: str) -> bool:
    """Queue ``strategy``'s sync for the run ``slot`` of ``day``, unless queued already."""
    from planboard.progress.models import DailyChore

    planboard_itself("queue the Care Opinion sync due now")
    name = f"care opinion {strategy.pk} {slot}"
    if DailyChore.objects.filter(name=name, day=day).exists():
        return False
    try:
        with transaction.atomic():
            chore = DailyChore.objects.create(name=name, day=day)
            result = sync_care_opinion_task.enqueue(strategy.pk)
            DailyChore.objects.filter(pk=chore.pk).update(task_id=str(result.id)[:64])
    except IntegrityError:
        return False
    return True


@task()
def sync_care_opinion_task(strategy_id: int) -> dict:
    """The queued sync: its summary is the task's result; a failure is the task's
    error, with Care Opinion's one-line message."""
    return run_scheduled_sync(strategy_id)


@service
def run_scheduled_sync(strategy_id: int) -> dict:
    from planboard.plans.models import Strategy

    planboard_itself("sync the feedback from Care Opinion on its schedule")
    strategy = Strategy.objects.get(pk=strategy_id)
    try:
        summary = sync_care_opinion(strategy, user=COMMAND_LINE)
    except Exception as problem:
        logger.warning("The Care Opinion sync of %s failed: %s", strategy.slug, problem)
        raise
    return summary.as_dict()
