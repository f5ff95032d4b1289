"""The loop's figures, per quarter and per service: pure queries, a fixed number of them
whatever the number of items.

- **received**: items that reached the trust in the quarter (published at the source,
  else received by planboard);
- **median days to first response**: over those items that have a response, from that
  same moment to their first response;
- **share changed**, Care Opinion's headline figure: of the *responses* to those items
  that raise a concern, the share saying a change is planned or made (Care Opinion
  counts responses, not stories; it grows as later responses come in);
- **changes made**: items whose change was made in the quarter (by ``change_made_at``);
- **FFT share positive**: of the quarter's Friends and Family Test answers, the share
  "Very good" or "Good" (NHS England's positive score). A month's count belongs to the
  quarter of its month. Where none of a row's six counts is suppressed, its answers are
  its total responses (NHS England's denominator; the sum of the six when no total is
  given); where a count is suppressed (``*``, unknown), the row's unknown answers are
  left out of both sides: its answers are the sum of its known counts and its positive
  the known ones of "Very good" and "Good". Only counts about one of the strategy's
  services are counted: a national file's other trusts, or a code not yet mapped to a
  service, are not the strategy's.

An item about a service counts for it and for each directorate above it, and for the
whole strategy (the row whose ``service`` is None), once each.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from planboard.feedback.fft_models import ANSWERS
from planboard.feedback.models import (
    Change,
    FeedbackItem,
    FeedbackResponse,
    FriendsAndFamilyCount,
    Service,
)
from planboard.progress.periods import quarter_containing

CHANGED = {Change.PLANNED, Change.MADE}


@dataclass
class LoopFigures:
    quarter: str
    service: Service | None
    received: int = 0
    median_days_to_respond: float | None = None
    concern_responses: int = 0
    concern_responses_changed: int = 0
    changes_made: int = 0
    fft_answers: int = 0
    fft_positive: int = 0

    @property
    def share_changed(self) -> float | None:
        """Of the responses to concerns, the share planning or making a change (0-1)."""
        if not self.concern_responses:
            return None
        return self.concern_responses_changed / self.concern_responses

    @property
    def fft_share_positive(self) -> float | None:
        """Of the Friends and Family Test answers, the share positive (0-1)."""
        if not self.fft_answers:
            return None
        return self.fft_positive / self.fft_answers


def fft_answers(total, answers) -> tuple[int, int]:
    """(answers, positive) of a month's Friends and Family Test counts ``answers`` (very
    good, good, neither, poor, very poor, don't know; None when suppressed)."""
    known = [count for count in answers if count is not None]
    positive = sum(count for count in answers[:2] if count is not None)
    if len(known) == len(answers) and total is not None:
        return total, positive
    return sum(known), positive


def _quarter(moment) -> str:
    return quarter_containing(timezone.localtime(moment).date())[0]


def loop_figures(strategy) -> list[LoopFigures]:
    """The figures of ``strategy``'s feedback, one row per quarter and service that has
    any, quarters in order, the whole strategy first within each."""
    services = {record.pk: record for record in Service.objects.filter(strategy=strategy)}

    def with_directorates(pk):
        seen = []
        while pk is not None and pk not in seen:
            seen.append(pk)
            pk = services[pk].parent_id
        return seen

    about = defaultdict(set)
    links = FeedbackItem.services.through.objects.filter(feedbackitem__strategy=strategy)
    for item_id, service_id in links.values_list("feedbackitem_id", "service_id"):
        about[item_id].update(with_directorates(service_id))
    concern_responses = defaultdict(list)
    responses = FeedbackResponse.objects.filter(item__strategy=strategy, item__raised_concern=True)
    for item_id, change in responses.values_list("item_id", "change"):
        concern_responses[item_id].append(change)

    rows: dict[tuple[str, int | None], LoopFigures] = {}
    waits = defaultdict(list)

    def row(quarter, service_id):
        key = (quarter, service_id)
        if key not in rows:
            rows[key] = LoopFigures(quarter, services.get(service_id))
        return rows[key]

    items = FeedbackItem.objects.filter(strategy=strategy).values_list(
        "pk", "published_at", "received_at", "responded_at", "change_made_at"
    )
    for pk, published_at, received_at, responded_at, change_made_at in items:
        arrived = published_at or received_at
        quarter = _quarter(arrived)
        for service_id in [None, *sorted(about[pk])]:
            figures = row(quarter, service_id)
            figures.received += 1
            if responded_at is not None:
                waits[(quarter, service_id)].append(
                    max((responded_at - arrived).total_seconds(), 0) / 86400
                )
            changes = concern_responses.get(pk, ())
            figures.concern_responses += len(changes)
            figures.concern_responses_changed += sum(change in CHANGED for change in changes)
            if change_made_at is not None:
                row(_quarter(change_made_at), service_id).changes_made += 1
    counts = FriendsAndFamilyCount.objects.filter(strategy=strategy).values_list(
        "month", "service_id", "total_responses", *ANSWERS
    )
    for month, service_id, total, *answers in counts:
        if service_id not in services:
            continue  # another trust's row of a national file, or a code not yet mapped
        answered, positive = fft_answers(total, answers)
        quarter = quarter_containing(month)[0]
        for place in [None, *with_directorates(service_id)]:
            figures = row(quarter, place)
            figures.fft_answers += answered
            figures.fft_positive += positive
    for key, days in waits.items():
        rows[key].median_days_to_respond = round(statistics.median(days), 1)
    return sorted(
        rows.values(),
        key=lambda f: (f.quarter, f.service is not None, f.service.name if f.service else ""),
    )
