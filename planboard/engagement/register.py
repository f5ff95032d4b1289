"""The private register: people, their involvement in activities and their reward.

Only the governance team and an activity's lead keep or see it
(``people.permissions.require_register_rights``). A reward is priced from the rate card
(``RewardRate``): the line of the named rate in force on the day of the involvement,
so a rate changed later never reprices what was already due.
"""

import datetime
import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction

from planboard.engagement.models import (
    TEXT_LIMIT,
    TITLE_LIMIT,
    Involvement,
    Participant,
    Perspective,
    RateUnit,
    Reward,
    RewardRate,
)
from planboard.engagement.services import _day
from planboard.feedback.services import clean_text
from planboard.lib.history import attribute
from planboard.lib.services import ServiceError, service
from planboard.lib.versions import claim_record
from planboard.people.permissions import (
    require_engagement_rights,
    require_register_rights,
)

PENNY = Decimal("0.01")
HOURS_LIMIT = Decimal("1000")
MONEY_LIMIT = Decimal("100000")
PRICED = (Reward.PAYMENT, Reward.VOUCHER)


def _amount(value, field: str, limit: Decimal) -> Decimal:
    try:
        amount = Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        raise ServiceError(f"The {field.replace('_', ' ')} is not a number.", field) from None
    if not amount.is_finite() or amount < 0 or amount > limit:
        raise ServiceError(f"The {field.replace('_', ' ')} is from 0 to {limit:,}.", field)
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


# --- the rate card -----------------------------------------------------------------


def rate_in_force(strategy, name: str, day: datetime.date) -> RewardRate | None:
    """The line of the rate ``name`` in force on ``day``: the latest to start by then."""
    lines = RewardRate.objects.filter(strategy=strategy, name=name, valid_from__lte=day)
    return lines.order_by("-valid_from").first()


def price(rate: RewardRate, hours: Decimal) -> Decimal:
    """What ``hours`` of involvement are paid at ``rate``: by the hour; per block of
    hours or part of one (£20 for up to three hours, and for every three hours or part
    after); or once per session."""
    if rate.unit == RateUnit.HOUR:
        amount = rate.amount * hours
    elif rate.unit == RateUnit.BLOCK:
        amount = rate.amount * max(1, math.ceil(hours / rate.block_hours))
    else:
        amount = rate.amount
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def check_rate(rate: RewardRate) -> None:
    """Tidy a line of the rate card and check it, or a ``ServiceError`` naming the field."""
    rate.name = clean_text(rate.name, "name", 100, required=True)
    if rate.unit not in RateUnit.values:
        raise ServiceError("Choose how the rate is paid.", "unit")
    rate.amount = _amount(rate.amount, "amount", MONEY_LIMIT)
    if rate.unit == RateUnit.BLOCK:
        block = _amount(rate.block_hours, "block_hours", HOURS_LIMIT)
        if not block:
            raise ServiceError("Give the hours a block is.", "block_hours")
        rate.block_hours = block
    else:
        rate.block_hours = None
    _day(rate.valid_from, "valid_from", required=True)
    same = RewardRate.objects.filter(
        strategy=rate.strategy, name=rate.name, valid_from=rate.valid_from
    )
    if same.exclude(pk=rate.pk).exists():
        raise ServiceError(f"{rate.name} already has a rate from that day.", "valid_from")


@service
@transaction.atomic
def save_rate(rate: RewardRate, *, user) -> RewardRate:
    """Add a line to the rate card, or correct one nothing has been priced from yet (a
    rate that changes is a new line from the day it changes)."""
    require_engagement_rights(user, "keep the rate card")
    if rate.pk is not None and rate.involvements.exists():
        raise ServiceError(
            "Rewards have been priced from this rate: add a new line from the day it changes.",
            "amount",
        )
    check_rate(rate)
    attribute(rate, user, "Rate added" if rate.pk is None else "Rate corrected")
    rate.save()
    return rate


# --- people ------------------------------------------------------------------------


def check_participant(participant: Participant) -> None:
    participant.name = clean_text(participant.name, "name", TITLE_LIMIT, required=True)
    if participant.perspective not in Perspective.values:
        raise ServiceError("Choose their perspective.", "perspective")
    _day(participant.consent_given_on, "consent_given_on")
    _day(participant.consent_withdrawn_on, "consent_withdrawn_on")
    if participant.consent_withdrawn_on and not participant.consent_given_on:
        raise ServiceError("Consent withdrawn needs the day it was given.", "consent_withdrawn_on")
    participant.contact = clean_text(participant.contact, "contact", TEXT_LIMIT)
    participant.access_needs = clean_text(participant.access_needs, "access_needs", TEXT_LIMIT)


@service
@transaction.atomic
def save_participant(participant: Participant, *, user, version: int | None = None) -> Participant:
    """Add a person to the register, or correct their details (the governance team)."""
    require_register_rights(user)
    check_participant(participant)
    if participant.pk is not None:
        claim_record(participant, version)
    attribute(participant, user, "Added to the register" if participant.pk is None else "Changed")
    participant.save()
    return participant


@service
@transaction.atomic
def erase_participant(participant: Participant, *, user) -> Participant:
    """Erase what the register holds about a person who asks (their contact, access
    needs and name), keeping their involvement's hours and pay, which are owed records,
    under "Erased person N"."""
    require_register_rights(user)
    participant.name = f"Erased person {participant.pk}"
    participant.contact = participant.access_needs = ""
    participant.consent_given_on = participant.consent_withdrawn_on = None
    participant.version += 1
    attribute(participant, user, "Erased at the person's request")
    participant.save()
    participant.history.all().update(name=participant.name, contact="", access_needs="")
    return participant


# --- involvement and reward ----------------------------------------------------------


@service
@transaction.atomic
def save_involvement(
    involvement: Involvement, *, user, rate_name: str = "", version: int | None = None
) -> Involvement:
    """Record a person's part in an activity and price its reward: a payment or a
    voucher at the rate ``rate_name`` in force on the day they took part."""
    activity = involvement.activity
    require_register_rights(user, activity)
    if involvement.participant.strategy_id != activity.strategy_id:
        raise ServiceError("The person is in another strategy's register.", "participant")
    _day(involvement.took_part_on, "took_part_on", required=True)
    involvement.role = clean_text(involvement.role, "role", 100)
    involvement.hours = _amount(involvement.hours, "hours", HOURS_LIMIT)
    involvement.expenses = _amount(involvement.expenses, "expenses", MONEY_LIMIT)
    if involvement.reward not in Reward.values:
        raise ServiceError("Choose the reward.", "reward")
    _day(involvement.paid_on, "paid_on")
    involvement.rate, involvement.amount_due = None, Decimal(0)
    if involvement.reward in PRICED:
        rate_name = clean_text(rate_name, "rate", 100, required=True)
        rate = rate_in_force(activity.strategy_id, rate_name, involvement.took_part_on)
        if rate is None:
            raise ServiceError(
                f"The rate card has no {rate_name} rate on {involvement.took_part_on:%d %B %Y}.",
                "rate",
            )
        involvement.rate, involvement.amount_due = rate, price(rate, involvement.hours)
    elif involvement.reward in (Reward.NONE, Reward.DECLINED) and involvement.expenses:
        raise ServiceError("Expenses are a reward: choose expenses, payment or voucher.", "reward")
    if involvement.pk is not None:
        claim_record(involvement, version)
    attribute(involvement, user, "Involvement recorded")
    involvement.save()
    return involvement


@service
@transaction.atomic
def mark_paid(involvements, *, user, paid_on: datetime.date) -> int:
    """Mark what is due for ``involvements`` paid on ``paid_on`` (the finance team's
    run, recorded by the governance team); how many were marked."""
    require_register_rights(user)
    _day(paid_on, "paid_on", required=True)
    marked = 0
    for involvement in involvements:
        if involvement.paid_on is None and involvement.total_due:
            involvement.paid_on = paid_on
            involvement.version += 1
            attribute(involvement, user, "Paid")
            involvement.save(update_fields=["paid_on", "version"])
            marked += 1
    return marked
