"""The access groups: Governance changes plans, Lead and Board member only read."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from planboard.people.access import BOARD_MEMBER, GOVERNANCE, LEAD, ensure_groups
from planboard.people.permissions import in_group, is_governance, is_lead

pytestmark = pytest.mark.django_db


def permissions(name):
    return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))


def test_it_creates_the_three_groups_once():
    assert ensure_groups() == [GOVERNANCE, LEAD, BOARD_MEMBER]
    assert ensure_groups() == []
    assert Group.objects.filter(name__in=[GOVERNANCE, LEAD, BOARD_MEMBER]).count() == 3


def test_governance_may_change_every_part_of_a_plan():
    ensure_groups()

    granted = permissions(GOVERNANCE)

    for codename in ("add_strategy", "change_action", "delete_theme", "change_person"):
        assert codename in granted
    assert "change_user" not in granted


@pytest.mark.parametrize("name", [LEAD, BOARD_MEMBER])
def test_leads_and_board_members_may_only_view(name):
    ensure_groups()

    granted = permissions(name)

    assert "view_action" in granted
    assert granted and all(codename.startswith("view_") for codename in granted)


def test_it_restores_a_groups_permissions():
    ensure_groups()
    Group.objects.get(name=BOARD_MEMBER).permissions.clear()

    ensure_groups()

    assert "view_strategy" in permissions(BOARD_MEMBER)


def test_the_questions_follow_the_groups(django_user_model):
    ensure_groups()
    alice = django_user_model.objects.create_user("alice")
    alice.groups.add(Group.objects.get(name=LEAD))
    root = django_user_model.objects.create_superuser("root")

    assert is_lead(alice) and not is_governance(alice) and not in_group(alice, BOARD_MEMBER)
    assert is_governance(root) and is_lead(root)
    assert not is_lead(AnonymousUser())


def test_an_inactive_user_has_no_access(django_user_model):
    ensure_groups()
    bob = django_user_model.objects.create_user("bob", is_active=False)
    bob.groups.add(Group.objects.get(name=GOVERNANCE))

    assert not is_governance(bob)
