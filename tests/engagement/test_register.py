"""The private register: rewards priced from the rate line in force that day, a rate
never repriced once used, and the register kept by its circle only."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planboard.engagement.models import Involvement, Participant, RateUnit, Reward, RewardRate
from planboard.engagement.register import (
    erase_participant,
    mark_paid,
    price,
    rate_in_force,
    save_involvement,
    save_participant,
    save_rate,
)
from planboard.lib.services import ServiceError
from planboard.people.permissions import may_see_register
from tests.bounds import database_fingerprint
from tests.cast import board_member, governance, lead
from tests.engagement.helpers import add_activity, make_engagement_plan
from tests.shared import shared

D = datetime.date


@shared
def plan(db):
    strategy, places, commitments, actions = make_engagement_plan()
    gail, bob = governance(), board_member()
    lena = lead(strategy, [], "lena")
    own = add_activity(strategy, "Interview panel", lead=lena.people.get())
    other = add_activity(strategy, "Open day")
    for name, unit, block, amount, start in (
        ("Working group", RateUnit.BLOCK, "3", "20.00", D(2016, 4, 1)),
        ("Working group", RateUnit.BLOCK, "3", "25.00", D(2017, 4, 1)),
        ("Workshop", RateUnit.HOUR, None, "13.85", D(2016, 4, 1)),
        ("Strategic role", RateUnit.SESSION, None, "75.00", D(2016, 4, 1)),
    ):
        save_rate(
            RewardRate(
                strategy=strategy,
                name=name,
                unit=unit,
                block_hours=block,
                amount=amount,
                valid_from=start,
            ),
            user=None,
        )
    person = save_participant(
        Participant(strategy=strategy, name="Morag Pettigrew", contact="07700 900123"), user=gail
    )
    return strategy, own, other, person, gail, bob, lena


def _rate(name, unit, amount, block=None):
    return RewardRate(name=name, unit=unit, amount=Decimal(amount), block_hours=block)


@pytest.mark.parametrize(
    "hours, expected",
    [("0.5", "20.00"), ("3", "20.00"), ("3.25", "40.00"), ("6", "40.00"), ("7", "60.00")],
)
def test_a_block_rate_pays_for_every_block_or_part_of_one(hours, expected):
    rate = _rate("Working group", RateUnit.BLOCK, "20.00", Decimal(3))
    assert price(rate, Decimal(hours)) == Decimal(expected)


def test_an_hourly_rate_rounds_to_the_penny_and_a_session_rate_is_paid_once():
    assert price(_rate("Workshop", RateUnit.HOUR, "13.85"), Decimal("2.5")) == Decimal("34.63")
    assert price(_rate("Strategic", RateUnit.SESSION, "75"), Decimal("7")) == Decimal("75.00")


@given(hours=st.decimals(min_value=Decimal("0.25"), max_value=Decimal(200), places=2))
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_block_rate_never_pays_less_than_its_hours_at_the_same_hourly_price(hours):
    block = _rate("Working group", RateUnit.BLOCK, "20.00", Decimal(3))
    hourly = _rate("Same", RateUnit.HOUR, str(Decimal(20) / 3))
    assert price(block, hours) >= price(hourly, hours) - Decimal("0.01")
    assert price(block, hours) - price(hourly, hours) <= Decimal("20.00")


def test_a_reward_is_priced_from_the_rate_in_force_on_the_day(plan):
    strategy, own, other, person, gail, bob, lena = plan
    assert rate_in_force(strategy, "Working group", D(2017, 3, 31)).amount == Decimal("20.00")
    assert rate_in_force(strategy, "Working group", D(2017, 4, 1)).amount == Decimal("25.00")
    assert rate_in_force(strategy, "Working group", D(2016, 3, 31)) is None
    march = save_involvement(
        Involvement(
            participant=person,
            activity=own,
            took_part_on=D(2017, 3, 30),
            hours=Decimal(4),
            reward=Reward.PAYMENT,
            expenses=Decimal("6.40"),
        ),
        user=lena,
        rate_name="Working group",
    )
    assert (march.amount_due, march.total_due) == (Decimal("40.00"), Decimal("46.40"))
    april = save_involvement(
        Involvement(
            participant=person,
            activity=own,
            took_part_on=D(2017, 4, 3),
            hours=Decimal(2),
            reward=Reward.VOUCHER,
        ),
        user=gail,
        rate_name="Working group",
    )
    assert april.amount_due == Decimal("25.00")
    # A rate that priced a reward is never changed under it: a new line is added.
    used = march.rate
    used.amount = Decimal("30.00")
    with pytest.raises(ServiceError, match="new line"):
        save_rate(used, user=gail)
    march.refresh_from_db()
    assert march.amount_due == Decimal("40.00")


@pytest.mark.parametrize(
    "changes, rate_name, field",
    [
        ({"reward": Reward.PAYMENT}, "", "rate"),
        ({"reward": Reward.PAYMENT}, "Astronaut", "rate"),
        ({"reward": Reward.PAYMENT, "took_part_on": D(2015, 1, 1)}, "Workshop", "rate"),
        ({"hours": "-1"}, "", "hours"),
        ({"hours": "lots"}, "", "hours"),
        ({"reward": Reward.NONE, "expenses": "5"}, "", "reward"),
        ({"reward": "cash in hand"}, "", "reward"),
        ({"took_part_on": None}, "", "took_part_on"),
    ],
)
def test_a_bad_involvement_is_refused_by_name(plan, changes, rate_name, field):
    strategy, own, other, person, gail, *_ = plan
    before = database_fingerprint()
    fields = {"participant": person, "activity": own, "took_part_on": D(2017, 1, 5)} | changes
    with pytest.raises(ServiceError) as refused:
        save_involvement(Involvement(**fields), user=gail, rate_name=rate_name)
    assert refused.value.field == field
    assert database_fingerprint() == before


def test_the_register_is_kept_by_the_governance_team_and_each_activitys_lead_only(plan):
    strategy, own, other, person, gail, bob, lena = plan
    assert may_see_register(gail) and may_see_register(gail, other)
    assert may_see_register(lena, own)
    assert not may_see_register(lena) and not may_see_register(lena, other)
    assert not may_see_register(bob) and not may_see_register(bob, own)
    involvement = Involvement(participant=person, activity=other, took_part_on=D(2017, 1, 5))
    for user in (lena, bob):
        with pytest.raises(PermissionDenied, match="register"):
            save_involvement(involvement, user=user)
        with pytest.raises(PermissionDenied):
            save_participant(Participant(strategy=strategy, name="New"), user=user)
        with pytest.raises(PermissionDenied):
            save_rate(
                RewardRate(strategy=strategy, name="x", amount=1, valid_from=D(2017, 1, 1)),
                user=user,
            )


def test_paying_and_erasing_keep_the_owed_record(plan):
    strategy, own, other, person, gail, bob, lena = plan
    involvement = save_involvement(
        Involvement(
            participant=person,
            activity=other,
            took_part_on=D(2017, 1, 5),
            hours=Decimal(2),
            reward=Reward.PAYMENT,
        ),
        user=gail,
        rate_name="Workshop",
    )
    assert mark_paid([involvement], user=gail, paid_on=D(2017, 2, 1)) == 1
    assert mark_paid([involvement], user=gail, paid_on=D(2017, 3, 1)) == 0
    erase_participant(person, user=gail)
    person.refresh_from_db()
    assert person.name.startswith("Erased person") and not person.contact
    assert not person.history.filter(contact__contains="07700").exists()
    involvement.refresh_from_db()
    assert (involvement.amount_due, involvement.paid_on) == (Decimal("27.70"), D(2017, 2, 1))
