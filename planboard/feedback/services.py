"""Recording feedback: the map of services, items (from a form, an import or a sync) and
their links to the plan.

Every write here is a ``@service`` that asks ``people.permissions`` first, checks its
input (refusing with a ``ServiceError`` that names the field, before anything is
written) and records who and why. Responses and the loop's dates are in ``loop.py``,
"you said, we did" in ``publishing.py``.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction

from planboard.feedback.models import (
    TEXT_LIMIT,
    TITLE_LIMIT,
    FeedbackItem,
    FeedbackTag,
    Polarity,
    Service,
    ServiceCode,
    ServiceKind,
    Source,
)
from planboard.lib import clock
from planboard.lib.history import attribute
from planboard.lib.services import ServiceError, service
from planboard.lib.versions import claim
from planboard.people.permissions import (
    require_feedback_link_rights,
    require_feedback_rights,
)

SHORT_LIMIT = 100  # source ids, author roles, tag labels, codes
CODE_LIMIT = 20
ITEM_FIELDS = (
    "given_on",
    "published_at",
    "received_at",
    "title",
    "text",
    "author_role",
    "staff_only",
    "raised_concern",
)


# --- the map of services ---------------------------------------------------------


def _clean_code(code: str, field: str = "code") -> str:
    code = (code or "").strip().upper()
    if len(code) > CODE_LIMIT:
        raise ServiceError(f"A code is at most {CODE_LIMIT} characters.", field)
    return code


def _code_taken(strategy, code: str, *, service_pk=None, mapping_pk=None) -> bool:
    own = Service.objects.filter(strategy=strategy, code=code).exclude(pk=service_pk)
    mapped = ServiceCode.objects.filter(strategy=strategy, code=code).exclude(pk=mapping_pk)
    return own.exists() or mapped.exists()


def check_feedback_service(record: Service) -> None:
    """Tidy ``record``'s name and code and check them, or a ``ServiceError`` naming the
    field (asked by the admin's form too, so it shows every problem on its field)."""
    record.name = (record.name or "").strip()
    if not record.name or len(record.name) > 300:
        raise ServiceError("Give the service a name of at most 300 characters.", "name")
    record.code = _clean_code(record.code)
    if record.kind not in ServiceKind.values:
        raise ServiceError("Choose directorate or service.", "kind")
    if record.code and _code_taken(record.strategy, record.code, service_pk=record.pk):
        raise ServiceError(f"The code {record.code} is already another service's.", "code")
    same_name = Service.objects.filter(strategy=record.strategy, name=record.name)
    if same_name.exclude(pk=record.pk).exists():
        raise ServiceError(f"There is already a service called {record.name}.", "name")
    parent, seen = record.parent, set()
    while parent is not None and parent.pk not in seen:
        if parent.strategy_id != record.strategy_id:
            raise ServiceError("The parent is another strategy's service.", "parent")
        if record.pk is not None and parent.pk == record.pk:
            raise ServiceError("A service cannot sit under itself.", "parent")
        seen.add(parent.pk)
        parent = parent.parent


@service
@transaction.atomic
def save_feedback_service(record: Service, *, user, reason: str = "Service saved") -> Service:
    """Add or correct a directorate or service that feedback can be about."""
    require_feedback_rights(user, "change the services feedback is about")
    check_feedback_service(record)
    attribute(record, user, reason)
    record.save()
    return record


@service
@transaction.atomic
def delete_feedback_service(record: Service, *, user) -> None:
    """Remove a service no feedback is about and no other service sits under."""
    require_feedback_rights(user, "change the services feedback is about")
    if record.feedback_items.exists() or record.children.exists():
        raise ServiceError(f"{record.name} has feedback or services under it: keep it.", "service")
    attribute(record, user, "Service removed")
    record.delete()


def check_source_code(mapping: ServiceCode) -> None:
    """Tidy ``mapping``'s code and check it, or a ``ServiceError`` naming the field."""
    mapping.code = _clean_code(mapping.code)
    if not mapping.code:
        raise ServiceError("Give the source's code.", "code")
    if mapping.service.strategy_id != mapping.strategy_id:
        raise ServiceError("The service is another strategy's.", "service")
    if _code_taken(mapping.strategy, mapping.code, mapping_pk=mapping.pk):
        raise ServiceError(f"The code {mapping.code} is already another service's.", "code")


@service
@transaction.atomic
def save_source_code(mapping: ServiceCode, *, user) -> ServiceCode:
    """Count a source's code (one of several Care Opinion services, say) as
    ``mapping.service``'s: the map the governance team keeps."""
    require_feedback_rights(user, "change the services feedback is about")
    check_source_code(mapping)
    attribute(mapping, user, f"Code {mapping.code} mapped to {mapping.service}")
    mapping.save()
    return mapping


@service
@transaction.atomic
def delete_source_code(mapping: ServiceCode, *, user) -> None:
    """Stop counting a source's code as one of ours."""
    require_feedback_rights(user, "change the services feedback is about")
    attribute(mapping, user, f"Code {mapping.code} no longer mapped")
    mapping.delete()


def services_for_codes(strategy, codes) -> dict[str, Service]:
    """The services the source ``codes`` map to (their own code, or a code mapped to
    them), by code, in two queries; a code mapped to nothing is left out."""
    wanted = {_clean_code(code) for code in codes if code}
    found = {
        record.code: record for record in Service.objects.filter(strategy=strategy, code__in=wanted)
    }
    for mapping in ServiceCode.objects.filter(strategy=strategy, code__in=wanted).select_related(
        "service"
    ):
        found.setdefault(mapping.code, mapping.service)
    return found


# --- items -------------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    """What ``record_item`` did: ``outcome`` is "created", "updated" or "unchanged"."""

    item: FeedbackItem
    outcome: str

    @property
    def created(self) -> bool:
        return self.outcome == "created"


def clean_text(value, field: str, limit: int, *, required: bool = False) -> str:
    """``value`` as text, trimmed, or a ``ServiceError`` naming ``field``."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ServiceError(f"The {field.replace('_', ' ')} must be text.", field)
    value = value.strip()
    if required and not value:
        raise ServiceError(f"Give the {field.replace('_', ' ')}.", field)
    if len(value) > limit:
        raise ServiceError(f"The {field.replace('_', ' ')} is over {limit} characters.", field)
    return value


def _when(value, field: str, kind) -> object:
    if value is not None and not isinstance(value, kind):
        raise ServiceError(f"The {field.replace('_', ' ')} is not a date.", field)
    if kind is datetime.date and isinstance(value, datetime.datetime):
        raise ServiceError(f"The {field.replace('_', ' ')} is a time, not a day.", field)
    return value


def _clean_tags(tags) -> dict[str, str]:
    cleaned = {}
    for entry in tags:
        label, polarity = (entry, Polarity.NEUTRAL) if isinstance(entry, str) else entry
        label = clean_text(label, "tags", SHORT_LIMIT, required=True)
        if polarity not in Polarity.values:
            raise ServiceError(f"The tag {label} has no polarity planboard knows.", "tags")
        cleaned[label] = polarity
    return cleaned


def clean_item(strategy, values: dict) -> dict:
    """``values`` of an item checked and tidied, or a ``ServiceError`` naming the field."""
    if values.get("source") not in Source.values:
        raise ServiceError("Choose where the feedback came from.", "source")
    staff_only = values.get("staff_only") or {}
    if not isinstance(staff_only, dict):
        raise ServiceError("The staff-only fields must be names and values.", "staff_only")
    services = list(values.get("services") or ())
    if any(record.strategy_id != strategy.pk for record in services):
        raise ServiceError("A service named is another strategy's.", "services")
    return {
        "source": values["source"],
        "source_id": clean_text(values.get("source_id"), "source_id", SHORT_LIMIT),
        "given_on": _when(values.get("given_on"), "given_on", datetime.date),
        "published_at": _when(values.get("published_at"), "published_at", datetime.datetime),
        "received_at": _when(values.get("received_at"), "received_at", datetime.datetime)
        or clock.now(),
        "title": clean_text(values.get("title"), "title", TITLE_LIMIT),
        "text": clean_text(values.get("text"), "text", TEXT_LIMIT, required=True),
        "author_role": clean_text(values.get("author_role"), "author_role", SHORT_LIMIT),
        "staff_only": staff_only,
        "raised_concern": bool(values.get("raised_concern")),
        "services": services,
        "tags": _clean_tags(values.get("tags") or ()),
    }


def new_item(strategy, clean: dict, user) -> FeedbackItem:
    """An unsaved item of ``clean`` values (``clean_item``'s, less services and tags),
    marked as recorded by ``user``: the one way ``record_item`` and a sync's bulk
    writing make an item."""
    item = FeedbackItem(strategy=strategy, **clean)
    return attribute(item, user, f"Feedback recorded from {item.get_source_display()}")


def item_differences(item, clean: dict, services, old_services: set[int]) -> tuple[list, bool]:
    """How ``clean`` values differ from ``item``'s stored ones: the names of the fields
    that changed, and whether its services (``old_services``, their pks) did."""
    changed = [name for name in ITEM_FIELDS if getattr(item, name) != clean[name]]
    return changed, old_services != {record.pk for record in services}


@service
@transaction.atomic
def record_item(strategy, *, user, version: int | None = None, **values) -> Recorded:
    """Record an item, or bring up to date the one with the same source and source id
    (so a second sync or import changes it and never adds another).

    ``values``: ``source`` (a ``Source``), ``source_id``, ``given_on`` (a date),
    ``published_at`` and ``received_at`` (times; received defaults to now for a new
    item and stays as it was for one recorded before), ``title``,
    ``text``, ``author_role``, ``staff_only`` (a dict), ``raised_concern``, ``services``
    (``Service`` records of the strategy) and ``tags`` (labels, or (label, polarity)
    pairs). ``version``, from a form, refuses a save over someone else's.
    """
    require_feedback_rights(user, "record feedback")
    clean = clean_item(strategy, values)
    services, tags = clean.pop("services"), clean.pop("tags")
    item = None
    if clean["source_id"]:
        item = FeedbackItem.objects.filter(
            strategy=strategy, source=clean["source"], source_id=clean["source_id"]
        ).first()
    if item is None:
        item = new_item(strategy, clean, user)
        item.save()
        item.services.set(services)
        FeedbackTag.objects.bulk_create(
            FeedbackTag(item=item, label=label, polarity=polarity)
            for label, polarity in tags.items()
        )
        return Recorded(item, "created")
    if version is not None:
        claim(FeedbackItem, version, pk=item.pk)
        item.refresh_from_db()
    if values.get("received_at") is None:
        clean["received_at"] = item.received_at
    old_tags = {tag.label: tag.polarity for tag in item.tags.all()}
    changed, links_changed = item_differences(
        item, clean, services, {s.pk for s in item.services.all()}
    )
    if not (changed or links_changed or old_tags != tags or version is not None):
        return Recorded(item, "unchanged")
    for name in changed:
        setattr(item, name, clean[name])
    attribute(item, user, f"Feedback updated from {item.get_source_display()}")
    item.save()
    if links_changed:
        item.services.set(services)
    if old_tags != tags:
        item.tags.all().delete()
        FeedbackTag.objects.bulk_create(
            FeedbackTag(item=item, label=label, polarity=polarity)
            for label, polarity in tags.items()
        )
    return Recorded(item, "updated")


# --- links to the plan ---------------------------------------------------------


def _check_links(item, actions, commitments, user) -> None:
    for action in actions:
        if action.theme.strategy_id != item.strategy_id:
            raise ServiceError(f"Action {action.ref} is another strategy's.", "actions")
        require_feedback_link_rights(user, action)
    for commitment in commitments:
        if commitment.theme.strategy_id != item.strategy_id:
            raise ServiceError(f"Commitment {commitment.ref} is another strategy's.", "commitments")
    if commitments:
        require_feedback_rights(user, "link feedback to commitments")
    if not actions and not commitments:
        require_feedback_rights(user, "link feedback to the plan")


@service
@transaction.atomic
def link_feedback(item, *, user, actions=(), commitments=()) -> None:
    """Link ``item`` to the actions and commitments its change belongs to. A lead may
    link it to the actions they lead; commitments are the governance team's."""
    actions, commitments = list(actions), list(commitments)
    _check_links(item, actions, commitments, user)
    attribute(item, user, "Feedback linked to the plan")
    item.actions.add(*actions)
    item.commitments.add(*commitments)
    item.save()


@service
@transaction.atomic
def unlink_feedback(item, *, user, actions=(), commitments=()) -> None:
    """Take the links ``link_feedback`` made away again (same rights)."""
    actions, commitments = list(actions), list(commitments)
    _check_links(item, actions, commitments, user)
    attribute(item, user, "Feedback unlinked from the plan")
    item.actions.remove(*actions)
    item.commitments.remove(*commitments)
    item.save()
