"""Recording many synced stories at once, for a sync of thousands.

A sync looks up what it already holds for its stories in a few queries per ``BATCH``
(``known_items``), skips the stories that have not changed without writing, and inserts
the new ones in bulk with their history rows (``write_new``): a first sync of 10,000
stories holds the database's write lock for seconds, not minutes. The rules stay the
services': items are checked by ``services.clean_item`` and made by
``services.new_item``, responses checked by ``loop.clean_response`` and compared by
``loop.response_differs``, and the loop's dates set by ``loop.loop_dates``. A changed
story goes through ``record_item`` and ``record_response`` as a single one would.
"""

from dataclasses import dataclass, field

from planboard.feedback.loop import loop_dates, response_differs
from planboard.feedback.models import FeedbackItem, FeedbackResponse, FeedbackTag
from planboard.feedback.services import item_differences
from planboard.lib.history import BATCH, attribute, create_with_history


@dataclass
class Known:
    """What is stored for a sync's stories: items by source id, and by item pk the
    pks of its services, its tags (label: polarity) and its responses by source id."""

    items: dict[str, FeedbackItem] = field(default_factory=dict)
    services: dict[int, set[int]] = field(default_factory=dict)
    tags: dict[int, dict[str, str]] = field(default_factory=dict)
    responses: dict[int, dict[str, FeedbackResponse]] = field(default_factory=dict)

    def unchanged(self, item, clean: dict, services, tags: dict, responses: list[dict]) -> bool:
        """Whether recording ``clean`` (with ``services``, ``tags`` and the cleaned
        ``responses``) on ``item`` would change nothing."""
        clean = {**clean, "received_at": item.received_at}
        changed, links_changed = item_differences(
            item, clean, services, self.services.get(item.pk, set())
        )
        if changed or links_changed or self.tags.get(item.pk, {}) != tags:
            return False
        stored = self.responses.get(item.pk, {})
        return all(
            values["source_id"] in stored
            and not response_differs(stored[values["source_id"]], values)
            for values in responses
        )


def known_items(strategy, source: str, source_ids: list[str]) -> Known:
    """What ``strategy`` holds for ``source_ids`` of ``source``: four queries a batch."""
    known = Known()
    through = FeedbackItem.services.through
    for start in range(0, len(source_ids), BATCH):
        found = FeedbackItem.objects.filter(
            strategy=strategy, source=source, source_id__in=source_ids[start : start + BATCH]
        )
        items = {item.pk: item for item in found}
        known.items.update({item.source_id: item for item in items.values()})
        for item_pk, service_pk in through.objects.filter(
            feedbackitem_id__in=list(items)
        ).values_list("feedbackitem_id", "service_id"):
            known.services.setdefault(item_pk, set()).add(service_pk)
        for item_pk, label, polarity in FeedbackTag.objects.filter(
            item_id__in=list(items)
        ).values_list("item_id", "label", "polarity"):
            known.tags.setdefault(item_pk, {})[label] = polarity
        for response in FeedbackResponse.objects.filter(item_id__in=list(items)):
            known.responses.setdefault(response.item_id, {})[response.source_id] = response
    return known


@dataclass
class New:
    """Items to insert, with their services' pks, tags and cleaned responses."""

    items: list[FeedbackItem] = field(default_factory=list)
    services: list[list[int]] = field(default_factory=list)
    tags: list[dict[str, str]] = field(default_factory=list)
    responses: list[list[FeedbackResponse]] = field(default_factory=list)

    source_ids: set[str] = field(default_factory=set)

    def add(self, item: FeedbackItem, services, tags: dict, responses: list[dict]):
        """Queue a new ``item`` (``services.new_item``'s) and its cleaned ``responses``,
        with the loop's dates those responses give, as ``record_item`` then
        ``record_response`` would leave them."""
        self.source_ids.add(item.source_id)
        rows = [FeedbackResponse(item=item, **values) for values in responses]
        for name, value in loop_dates(rows).items():
            setattr(item, name, value)
        self.items.append(item)
        self.services.append([record.pk for record in services])
        self.tags.append(tags)
        self.responses.append(rows)

    def write(self, user) -> None:
        """Insert the items, their links, tags and responses, with history rows."""
        if not self.items:
            return
        links = [(at, pk) for at, pks in enumerate(self.services) for pk in pks]
        reason = self.items[0]._change_reason
        create_with_history(
            FeedbackItem, self.items, user=user, reason=reason, links={"services": links}
        )
        FeedbackTag.objects.bulk_create(
            (
                FeedbackTag(item_id=item.pk, label=label, polarity=polarity)
                for item, tags in zip(self.items, self.tags, strict=True)
                for label, polarity in tags.items()
            ),
            batch_size=BATCH,
        )
        responses = []
        for item, rows in zip(self.items, self.responses, strict=True):
            for response in rows:
                response.item_id = item.pk
                responses.append(attribute(response, user, "Response recorded"))
        create_with_history(FeedbackResponse, responses, user=user, reason="Response recorded")
