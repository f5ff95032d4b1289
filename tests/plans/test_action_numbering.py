"""The numbering rule, for any plan and any run of moves, retirements and additions:
refs stay unique, a moved action takes the next free number in its new theme, no other
action's ref changes."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planboard.plans.action_changes import (
    ActionValues,
    add_action,
    change_action,
    restore_action,
    retire_action,
)
from planboard.plans.models import Action
from tests.builders import make_strategy, make_theme
from tests.cast import governance

STEP = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 2)),
    st.tuples(st.just("move"), st.integers(0, 30), st.integers(0, 2)),
    st.tuples(st.just("retire"), st.integers(0, 30)),
    st.tuples(st.just("restore"), st.integers(0, 30)),
)


def _refs() -> dict[int, str]:
    return {a.pk: a.ref for a in Action.objects.select_related("theme")}


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=1, max_size=10))
def test_any_run_of_changes_keeps_refs_unique_and_others_unmoved(steps):
    with transaction.atomic():
        gail = governance("gail-numbers")
        strategy = make_strategy(slug="numbers")
        themes = [make_theme(strategy, number=n, title=f"Theme {n}") for n in (1, 2, 5)]
        for theme in themes[:2]:
            add_action(ActionValues(text="First.", theme=theme), user=gail)
        for step in steps:
            actions = list(Action.objects.select_related("theme").order_by("pk"))
            before = _refs()
            if step[0] == "add":
                theme = themes[step[1]]
                highest = max((a.number for a in actions if a.theme_id == theme.pk), default=0)
                added = add_action(ActionValues(text="New.", theme=theme), user=gail)
                assert added.number == highest + 1
                assert {pk: ref for pk, ref in _refs().items() if pk != added.pk} == before
                continue
            action = actions[step[1] % len(actions)]
            if step[0] == "move":
                target = themes[step[2]]
                highest = max(
                    (a.number for a in actions if a.theme_id == target.pk and a.pk != action.pk),
                    default=0,
                )
                moved = change_action(
                    action,
                    ActionValues(text=action.text, theme=target),
                    version=action.version,
                    user=gail,
                )
                expected = action.number if target.pk == action.theme_id else highest + 1
                assert moved.ref == f"{target.number}.{expected}"
                after = _refs()
                assert {pk: ref for pk, ref in after.items() if pk != action.pk} == {
                    pk: ref for pk, ref in before.items() if pk != action.pk
                }
            elif step[0] == "retire" and not action.is_retired:
                retire_action(action, reason="Dropped.", version=action.version, user=gail)
                assert _refs() == before
            elif step[0] == "restore" and action.is_retired:
                restore_action(action, version=action.version, user=gail)
                assert _refs() == before
            refs = list(_refs().values())
            assert len(refs) == len(set(refs))
        transaction.set_rollback(True)
