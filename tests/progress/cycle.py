"""Small builders for the quarterly cycle: people in the access groups, periods, updates."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from planboard.people.access import BOARD_MEMBER, GOVERNANCE, LEAD, ensure_groups
from planboard.progress.services import open_period, submit_update
from tests.builders import make_person

Q4 = "2016/17 Q4"  # January to March 2017
Q3 = "2016/17 Q3"  # October to December 2016
IN_Q4 = datetime.date(2017, 2, 13)
MARCH = datetime.date(2017, 3, 31)
JUNE = datetime.date(2017, 6, 30)


def make_user(username, group=None, **fields):
    ensure_groups()
    user = get_user_model().objects.create_user(
        username, first_name=username.title(), last_name="Tester", **fields
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def governance(username="gail"):
    return make_user(username, GOVERNANCE)


def board_member(username="bob"):
    return make_user(username, BOARD_MEMBER)


def lead(strategy, roles, username):
    """A user in the Lead group linked to a person in the key holding ``roles``."""
    user = make_user(username, LEAD)
    make_person(strategy, username.title(), roles, user=user)
    return user


def open_quarter(strategy, label=Q4):
    return open_period(strategy, label, user=None)


def submit(action, user, narrative="Progress this quarter.", **fields):
    return submit_update(action, user=user, narrative=narrative, **fields)
