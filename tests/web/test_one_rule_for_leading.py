"""Who leads an action is one rule: whoever leads it may update it, sees it in My actions,
is reminded about it and is counted for it, whatever their account's group.

Bob is in the Board member group, Oscar in no group: linked to a person in the key who
holds the Engagement Manager role, each leads 1.1 and 1.2 of the small plan, like the
demo's Medical Director.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planboard.people.access import BOARD_MEMBER, GOVERNANCE, LEAD
from planboard.people.models import Person
from planboard.people.permissions import is_governance, leads_action, may_update
from planboard.people.recipients import leads_by_user
from planboard.plans.models import Action
from planboard.progress.completion import completion_rate
from planboard.progress.models import Reminder, Update
from planboard.progress.reminders import outstanding_actions, plan_reminders
from planboard.web.cycle import led_actions
from tests.builders import make_person
from tests.cast import make_user
from tests.web.cycle import send_update, update_url

pytestmark = pytest.mark.django_db

IN_Q4 = datetime.date(2017, 2, 13)


def chased(strategy):
    """``{username: [refs]}`` of the lead reminders due today."""
    _, messages, _ = plan_reminders(strategy, today=IN_Q4)
    return {
        message.user.username: message.action_refs
        for message in messages
        if message.kind == Reminder.Kind.LEAD
    }


@pytest.mark.parametrize("who", ["bob", "oscar"])
def test_someone_who_leads_actions_outside_the_lead_group_gives_their_updates(
    cast, client_for, small_plan, open_quarter, who
):
    user = getattr(cast, who)
    make_person(small_plan.strategy, "Mike Hunter", [small_plan.em], user=user)
    client = client_for(user)

    home = client.get("/")
    assert 'href="/my-actions/"' in home.text
    mine = client.get("/my-actions/")
    assert mine.status_code == 200
    assert 'id="my-action-demo-1-1"' in mine.text and 'id="my-action-demo-1-2"' in mine.text
    assert 'id="my-action-demo-1-3"' not in mine.text
    assert "Update this action" in client.get("/strategies/demo/actions/1.1/").text
    assert client.get(update_url("1.3")).status_code == 403

    sent = send_update(client, "1.1", narrative="Meetings restructured.")

    assert sent.status_code == 302
    update = Update.objects.get()
    assert (update.action, update.submitted_by, update.on_behalf) == (
        small_plan.review,
        user,
        False,
    )
    assert chased(small_plan.strategy)[who] == ["1.2"]


@pytest.mark.parametrize("who", ["bob", "oscar"])
def test_someone_who_leads_nothing_is_refused_and_not_chased(
    cast, client_for, small_plan, open_quarter, who
):
    user = getattr(cast, who)
    make_person(small_plan.strategy, "Sam Reader", [], user=user)
    client = client_for(user)

    assert 'href="/my-actions/"' not in client.get("/").text
    assert "Update this action" not in client.get("/strategies/demo/actions/1.1/").text
    assert client.get(update_url("1.1")).status_code == 403
    assert client.post(update_url("1.1"), {"narrative": "x"}).status_code == 403
    assert not Update.objects.exists()
    assert who not in chased(small_plan.strategy)


def test_the_demo_board_member_is_reminded_of_what_he_leads_and_nothing_else(
    cast, small_plan, open_quarter, other_lead
):
    make_person(small_plan.strategy, "Mike Hunter", [small_plan.em], user=cast.bob)

    assert chased(small_plan.strategy) == {"bob": ["1.1", "1.2"], "jane": ["1.2"]}


GROUPS = [None, LEAD, BOARD_MEMBER, GOVERNANCE]


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    accounts=st.lists(
        st.tuples(
            st.sampled_from(GROUPS),
            st.sets(st.sampled_from(["em", "head", "finance"]), max_size=3),
            st.booleans(),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_every_question_about_leading_gets_the_same_answer(small_plan, open_quarter, accounts):
    """For any accounts in any groups, active or not, holding any of the roles: the
    update permission, My actions, the reminders and the completion rate agree."""
    from django.db import transaction

    with transaction.atomic():
        users = []
        for n, (group, roles, active) in enumerate(accounts):
            user = make_user(f"person{n}", is_active=active)
            if group:
                user.groups.add(Group.objects.get(name=group))
            roles = [getattr(small_plan, role) for role in sorted(roles)]
            make_person(small_plan.strategy, f"Person {n}", roles, user=user)
            users.append(user)
        actions = list(
            Action.objects.for_strategy(small_plan.strategy).prefetch_related("leads", "theme")
        )
        outstanding = outstanding_actions(open_quarter)
        by_user, unreachable = leads_by_user(small_plan.strategy, outstanding)
        reminded = chased(small_plan.strategy)

        for user in users:
            mine = set(led_actions(user))
            for action in actions:
                leads = leads_action(user, action)
                held = {role.pk for role in action.leads.all()} & {
                    role.pk for role in Person.objects.get(user=user).roles.all()
                }
                assert leads == (user.is_active and bool(held))
                assert (action in mine) == leads
                assert may_update(user, action) == (is_governance(user) or leads)
            owed = [action.ref for action in outstanding if leads_action(user, action)]
            assert by_user.get(user, []) == [a for a in outstanding if a.ref in owed]
            assert reminded.get(user.username, []) == owed

        completion = completion_rate(open_quarter)
        assert completion.missing == len(outstanding)
        reachable = {action for owed in by_user.values() for action in owed}
        assert reachable | set(unreachable) == set(outstanding)
        assert not reachable & set(unreachable)
        transaction.set_rollback(True)
