"""Keeping the engagement map: activities, who took part and what they changed.

Every write here is a ``@service`` that asks ``people.permissions`` first, checks its
input (refusing with a ``ServiceError`` that names the field, before anything is
written), records who and why, and claims the record's version where two people can
edit it, so nobody's work is saved over. The private register (people, their
involvement and reward, the rate card) is in ``register.py``.
"""

import datetime

from django.db import transaction

from planboard.engagement.models import (
    TEXT_LIMIT,
    TITLE_LIMIT,
    Activity,
    Characteristic,
    EqualityCount,
    Kind,
    Level,
    Participant,
    Participation,
    Perspective,
    Recurrence,
)
from planboard.feedback.publishing import _describe, known_names, personal_data_in
from planboard.feedback.services import clean_text
from planboard.lib import clock
from planboard.lib.history import attribute
from planboard.lib.services import ServiceError, service
from planboard.lib.versions import claim_record
from planboard.people.permissions import (
    require_activity_rights,
    require_engagement_rights,
)

REF_LIMIT = 100
COUNT_LIMIT = 1_000_000


def _day(value, field: str, *, required: bool = False):
    if value is None:
        if required:
            raise ServiceError(f"Give the {field.replace('_', ' ')}.", field)
        return None
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise ServiceError(f"The {field.replace('_', ' ')} is not a day.", field)
    return value


def _choice(value, choices, field: str, words: str) -> str:
    if value not in choices.values:
        raise ServiceError(f"Choose {words}.", field)
    return value


def check_activity(activity: Activity) -> None:
    """Tidy ``activity``'s fields and check them, or a ``ServiceError`` naming the first
    field in the wrong (the forms ask it too, so each shows on its field)."""
    activity.ref = clean_text(activity.ref, "ref", REF_LIMIT)
    activity.title = clean_text(activity.title, "title", TITLE_LIMIT, required=True)
    _choice(activity.kind, Kind, "kind", "the kind of activity")
    _choice(activity.level, Level, "level", "the level of involvement")
    _choice(activity.recurrence, Recurrence, "recurrence", "how often it happens")
    _day(activity.starts_on, "starts_on", required=True)
    _day(activity.ends_on, "ends_on")
    if activity.ends_on is not None and activity.ends_on < activity.starts_on:
        raise ServiceError("The end is before the start.", "ends_on")
    activity.purpose = clean_text(activity.purpose, "purpose", TEXT_LIMIT)
    activity.outcome = clean_text(activity.outcome, "outcome", TEXT_LIMIT)
    activity.fed_back_how = clean_text(activity.fed_back_how, "fed_back_how", TITLE_LIMIT)
    _day(activity.fed_back_on, "fed_back_on")
    if activity.fed_back_how and activity.fed_back_on is None:
        raise ServiceError("Give the day the outcome was fed back.", "fed_back_on")
    if activity.lead_id is not None and activity.lead.strategy_id != activity.strategy_id:
        raise ServiceError("The lead is in another strategy's key.", "lead")
    if activity.ref:
        same = Activity.objects.filter(strategy_id=activity.strategy_id, ref=activity.ref)
        if same.exclude(pk=activity.pk).exists():
            raise ServiceError(f"Another activity has the reference {activity.ref}.", "ref")


def _check_links(activity: Activity, services, commitments, actions) -> None:
    strategy = activity.strategy_id
    if services is not None and any(record.strategy_id != strategy for record in services):
        raise ServiceError("A directorate or service is another strategy's.", "services")
    if commitments is not None and any(c.theme.strategy_id != strategy for c in commitments):
        raise ServiceError("A commitment is another strategy's.", "commitments")
    if actions is not None and any(a.theme.strategy_id != strategy for a in actions):
        raise ServiceError("An action is another strategy's.", "actions")


@service
@transaction.atomic
def save_activity(
    activity: Activity,
    *,
    user,
    services=None,
    commitments=None,
    actions=None,
    version: int | None = None,
    reason: str = "",
) -> Activity:
    """Add an activity (the governance team) or change one (also its lead), with the
    directorates and services it is about and the commitments and actions it serves
    (each left as it is when None). ``version`` is the one the form was opened at:
    someone else's save since is an ``EditConflict``, not saved over."""
    if activity.pk is None:
        require_engagement_rights(user, "add an engagement activity")
    else:
        require_activity_rights(user, Activity.objects.get(pk=activity.pk))
    check_activity(activity)
    _check_links(activity, services, commitments, actions)
    if activity.pk is not None:
        claim_record(activity, version)
    attribute(activity, user, reason or ("Activity added" if activity.pk is None else "Changed"))
    activity.save()
    for field, records in (
        ("services", services),
        ("commitments", commitments),
        ("actions", actions),
    ):
        if records is not None:
            getattr(activity, field).set(records)
    return activity


@service
@transaction.atomic
def delete_activity(activity: Activity, *, user) -> None:
    """Remove an activity recorded by mistake; its participation goes with it. One with
    people's involvement in the register is kept: their hours and pay are owed records."""
    require_engagement_rights(user, "remove an engagement activity")
    if activity.involvements.exists():
        raise ServiceError(
            f"{activity.title} has people's involvement in the register: keep it.", "activity"
        )
    attribute(activity, user, "Activity removed")
    activity.delete()


def _counts(rows, field: str) -> None:
    for count in rows.values():
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ServiceError("A count is a whole number, 0 or more.", field)
        if count > COUNT_LIMIT:
            raise ServiceError(f"A count is at most {COUNT_LIMIT:,}.", field)


@service
@transaction.atomic
def set_participation(
    activity: Activity, counts: dict, *, user, version: int | None = None
) -> list[Participation]:
    """Set how many people of each perspective took part (``{perspective: count}``);
    a perspective not given, or given 0, is taken off. ``version``, the activity's
    version the form was opened at, refuses a save over someone else's with an
    ``EditConflict``."""
    require_activity_rights(user, activity)
    for perspective in counts:
        _choice(perspective, Perspective, "participation", "a perspective planboard knows")
    _counts(counts, "participation")
    if version is not None:
        claim_record(activity, version)
    kept = []
    for row in activity.participation.all():
        attribute(row, user, "Participation changed")
        row.delete()
    for perspective in Perspective.values:
        if counts.get(perspective):
            row = Participation(
                activity=activity, perspective=perspective, count=counts[perspective]
            )
            attribute(row, user, "Participation counted")
            row.save()
            kept.append(row)
    return kept


@service
@transaction.atomic
def set_equality_counts(activity: Activity, rows: dict, *, user) -> list[EqualityCount]:
    """Set the activity's aggregate equality monitoring: ``{(characteristic, category):
    count}``. Counts only: planboard keeps no one's own answers."""
    require_activity_rights(user, activity)
    cleaned = {}
    for (characteristic, category), count in rows.items():
        _choice(characteristic, Characteristic, "equality", "a characteristic planboard knows")
        category = clean_text(category, "equality", 100, required=True)
        cleaned[(characteristic, category)] = count
    _counts(cleaned, "equality")
    for row in activity.equality_counts.all():
        attribute(row, user, "Equality monitoring changed")
        row.delete()
    made = []
    for (characteristic, category), count in cleaned.items():
        if count:
            row = EqualityCount(
                activity=activity, characteristic=characteristic, category=category, count=count
            )
            attribute(row, user, "Equality monitoring counted")
            row.save()
            made.append(row)
    return made


def _outcome_names(activity: Activity) -> list[str]:
    """The names the detectors look for in a public outcome: the key's, the accounts'
    and the register's."""
    register = Participant.objects.filter(strategy_id=activity.strategy_id)
    return sorted(
        set(known_names(activity.strategy)) | set(register.values_list("name", flat=True))
    )


@service
@transaction.atomic
def publish_outcome(activity: Activity, *, user, text: str, version: int | None = None) -> Activity:
    """Publish what ``activity`` changed, in plain English, with its title, on the
    strategy's public summary. Refused while the detectors find personal data in either
    (a name in the key or the register, a phone number ...): the public summary names
    nobody."""
    require_engagement_rights(user, "publish what an activity changed")
    text = clean_text(text, "public_outcome", TEXT_LIMIT, required=True)
    names = _outcome_names(activity)
    found = personal_data_in(text, names)
    if not found and (found := personal_data_in(activity.title, names)):
        raise ServiceError(
            f"Its title may hold personal data ({_describe(found)}): change the title first.",
            "title",
        )
    if found:
        raise ServiceError(
            f"It may hold personal data ({_describe(found)}): edit it before it is published.",
            "public_outcome",
        )
    claim_record(activity, version)
    activity.public_outcome, activity.outcome_published_at = text, clock.now()
    attribute(activity, user, "Outcome published")
    activity.save(update_fields=["public_outcome", "outcome_published_at", "version"])
    return activity


@service
@transaction.atomic
def withdraw_outcome(activity: Activity, *, user) -> Activity:
    """Take what ``activity`` changed off the public summary (its text is kept)."""
    require_engagement_rights(user, "withdraw what an activity changed")
    if activity.outcome_published_at is None:
        raise ServiceError("Its outcome is not published.", "public_outcome")
    activity.outcome_published_at = None
    attribute(activity, user, "Outcome withdrawn")
    activity.save(update_fields=["outcome_published_at"])
    return activity
