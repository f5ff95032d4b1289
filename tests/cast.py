"""One cast of people for every test, each in the same access group wherever they appear.

=========  ============  ============  ====================  ===============================
username   name          group         e-mail                notes
=========  ============  ============  ====================  ===============================
gail       Gail Tester   Governance    gail@trust.example    a staff account, as governance
                                                             accounts are (admin access)
mia        Mia Bajin     Lead          mia@trust.example     named as the seed paper's
                                                             Engagement Manager
jane       Jane Lyon     Lead          jane@trust.example    named as the seed paper's Head
                                                             of SUEMU
ken        Ken Moss      Lead          (none)                a lead who cannot be e-mailed
bob        Bob Tester    Board member
oscar      Oscar Tester  (none)                              signed in, in no group
=========  ============  ============  ====================  ===============================

A lead leads nothing until a plan links them to a person in its key (``lead`` below, or
``make_person(..., user=...)``). The ``cast`` fixture (tests/conftest.py) makes all of
them at once; ``member`` makes one. Anyone else a test needs (an inactive account, a
second governance member) is made with ``make_user`` under a name not in the cast: their
first name is the username and their last name "Tester".
"""

from dataclasses import dataclass
from types import SimpleNamespace

from planboard.people.access import BOARD_MEMBER, GOVERNANCE, GROUPS, LEAD, ensure_groups


@dataclass(frozen=True)
class Member:
    username: str
    name: str
    group: str | None
    email: str = ""
    is_staff: bool = False


CAST = {
    member.username: member
    for member in (
        Member("gail", "Gail Tester", GOVERNANCE, "gail@trust.example", is_staff=True),
        Member("mia", "Mia Bajin", LEAD, "mia@trust.example"),
        Member("jane", "Jane Lyon", LEAD, "jane@trust.example"),
        Member("ken", "Ken Moss", LEAD),
        Member("bob", "Bob Tester", BOARD_MEMBER),
        Member("oscar", "Oscar Tester", None),
    )
}


def make_user(username, group=None, **fields):
    """An account named ``username`` in ``group``.

    A cast member is made as the cast describes them, and only once; asking for one in
    another group is a mistake in the test.
    """
    from django.contrib.auth import get_user_model

    User = get_user_model()
    first_name, last_name = username.title(), "Tester"
    if username in CAST:
        member = CAST[username]
        assert group in (None, member.group) and not fields, f"{username} is {member}"
        existing = User.objects.filter(username=username).first()
        if existing:
            return existing
        first_name, last_name = member.name.split()
        fields = {"email": member.email, "is_staff": member.is_staff}
        group = member.group
    _ensure_groups()
    user = User.objects.create_user(username, first_name=first_name, last_name=last_name, **fields)
    if group:
        from django.contrib.auth.models import Group

        user.groups.add(Group.objects.get(name=group))
    return user


def _ensure_groups():
    from django.contrib.auth.models import Group

    if Group.objects.filter(name__in=GROUPS).count() < len(GROUPS):
        ensure_groups()


def member(username):
    """The cast member ``username``."""
    return make_user(username)


def everyone():
    """Every member of the cast, by username."""
    return SimpleNamespace(**{username: member(username) for username in CAST})


def governance(username="gail"):
    return make_user(username, GOVERNANCE)


def reviewer():
    """Grace, a second member of the governance team: she reviews the updates Gail gives
    on the leads' behalf, as nobody may review their own update. Not one of the cast, so
    that only the tests that need a second reviewer have one."""
    from django.contrib.auth import get_user_model

    existing = get_user_model().objects.filter(username="grace").first()
    return existing or make_user("grace", GOVERNANCE)


def board_member(username="bob"):
    return make_user(username, BOARD_MEMBER)


def lead(strategy, roles, username):
    """A lead linked to a person in ``strategy``'s key who holds ``roles``."""
    from tests.builders import make_person

    user = make_user(username, LEAD)
    make_person(strategy, username.title(), roles, user=user)
    return user
