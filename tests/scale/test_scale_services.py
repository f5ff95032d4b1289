"""The services behind the key and scale pages, called as a page or a script would."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planboard.lib.services import ServiceError
from planboard.people import key
from planboard.plans import scale
from planboard.plans.models import RagLevel, TagColour
from tests.bounds import database_fingerprint
from tests.builders import make_role, make_strategy
from tests.cast import board_member, governance

pytestmark = pytest.mark.django_db

WORD = st.sampled_from(["Green", "green ", "G", "Amber", "Yellow", "A", "Red", "R", "Blue", "Done"])


def values(label, aliases=(), position=1, colour=TagColour.GREY):
    return {"label": label, "colour": colour, "position": position, "aliases": list(aliases)}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(saves=st.lists(st.tuples(st.integers(0, 3), st.lists(WORD, max_size=3)), max_size=6))
def test_no_word_ever_means_two_levels(saves):
    """Whatever aliases are saved on whichever level, in any order, each accepted save
    leaves every label and alias meaning one level of the scale, and a refused one
    leaves the scale as it was."""
    with transaction.atomic():
        user = governance()
        strategy = make_strategy()
        for at, aliases in saves:
            levels = list(strategy.rag_levels.order_by("position"))
            before = database_fingerprint()
            if at == len(levels):
                args = {"version": None, "level": None}
                label = "Blue"
            else:
                level = levels[at % len(levels)]
                args = {"version": level.version, "level": level}
                label = level.label
            try:
                scale.save_level(
                    strategy, values(label, aliases, position=at + 1), user=user, **args
                )
            except ServiceError as error:
                assert error.field in ("label", "aliases")
                assert "\n" not in str(error)
                assert database_fingerprint() == before
            names = [name for level in strategy.rag_levels.all() for name in level.names()]
            assert len(names) == len(set(names)), names
        transaction.set_rollback(True)


def test_only_the_governance_team_may_use_the_services():
    strategy = make_strategy()
    role, other = make_role(strategy, "Finance"), make_role(strategy, "Head of SUEMU")
    level = strategy.rag_levels.first()
    bob = board_member()
    before = database_fingerprint()
    for call in (
        lambda: key.save_role(strategy, {"title": "X"}, version=None, user=bob),
        lambda: key.merge_roles(role, other, version=1, user=bob),
        lambda: scale.save_level(strategy, values("Blue"), version=None, user=bob),
        lambda: scale.delete_level(level, version=1, user=bob),
        lambda: key.save_role(strategy, {"title": "X"}, version=None, user=None),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert database_fingerprint() == before


def test_a_role_cannot_be_merged_into_itself_or_another_strategys():
    strategy = make_strategy()
    role = make_role(strategy, "Finance")
    elsewhere = make_role(make_strategy(), "Finance")
    gail = governance()
    before = database_fingerprint()
    with pytest.raises(ServiceError, match="Choose another role") as error:
        key.merge_roles(role, role, version=1, user=gail)
    assert error.value.field == "kept"
    with pytest.raises(ServiceError, match="same strategy"):
        key.merge_roles(role, elsewhere, version=1, user=gail)
    assert database_fingerprint() == before


def test_a_level_used_by_an_update_cannot_be_deleted(small_plan_with_update):
    level, update = small_plan_with_update
    gail = governance()
    before = database_fingerprint()
    with pytest.raises(ServiceError) as error:
        scale.delete_level(level, version=level.version, user=gail)
    assert str(error.value) == f"{level.label} is the rating of 1 update, so it cannot be deleted."
    assert database_fingerprint() == before
    assert RagLevel.objects.filter(pk=level.pk).exists()


@pytest.fixture
def small_plan_with_update():
    from planboard.progress.services import open_period, submit_update
    from tests.builders import make_action, make_theme

    strategy = make_strategy()
    theme = make_theme(strategy)
    role = make_role(strategy, "Engagement Manager")
    action = make_action(theme, "Hold a listening event.", leads=[role])
    gail = governance()
    open_period(strategy, "2016/17 Q4", user=gail)
    red = strategy.rag_levels.get(label="Red")
    update = submit_update(action, user=gail, narrative="Booked.", proposed_rag=red)
    return red, update
