"""``planboard demo`` loads the seed plan and three accounts, and can be run again safely."""

import io
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from planboard.imports.services import import_paper
from planboard.people.access import is_board_member, is_governance, is_lead, led_roles
from planboard.people.models import Person, Role
from planboard.plans.models import Action, Strategy
from tests.conftest import SEED_PAPER

pytestmark = pytest.mark.django_db

ACCOUNT_LINE = re.compile(r"^\s+(governance|lead|board)\s+(\S+)\s+\(", re.MULTILINE)


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Strategy, Action, Person, Role, User, Group)
    } | {
        "group permissions": Group.permissions.through.objects.count(),
        "user groups": User.groups.through.objects.count(),
        "person history": Person.history.count(),
    }


def test_it_imports_the_seed_and_prints_each_password_once():
    output = run_demo()

    passwords = dict(ACCOUNT_LINE.findall(output))
    assert set(passwords) == {"governance", "lead", "board"}
    for username, password in passwords.items():
        assert User.objects.get(username=username).check_password(password)
    assert Strategy.objects.filter(slug="sue").exists()
    assert "http://127.0.0.1:" in output


def test_a_second_run_creates_nothing(monkeypatch):
    monkeypatch.setenv("PORT", "8123")
    run_demo()
    before = counts()

    output = run_demo()

    assert counts() == before
    assert not ACCOUNT_LINE.findall(output)
    assert "already exist" in output
    assert "planboard changepassword" in output
    assert "http://127.0.0.1:8123/" in output


def test_a_second_run_keeps_the_passwords():
    passwords = dict(ACCOUNT_LINE.findall(run_demo()))

    run_demo()

    for username, password in passwords.items():
        assert User.objects.get(username=username).check_password(password)


def test_the_lead_account_holds_the_engagement_manager_role():
    run_demo()
    lead = User.objects.get(username="lead")

    person = Person.objects.get(strategy__slug="sue", user=lead)

    assert "EM" in {role.abbreviation for role in led_roles(lead)}
    assert person.name == "Mia Bajin"
    assert Action.objects.filter(leads__people=person).exists()


def test_each_account_has_its_access():
    run_demo()
    governance, lead, board = (
        User.objects.get(username=name) for name in ("governance", "lead", "board")
    )

    assert governance.is_staff and not governance.is_superuser
    assert is_governance(governance) and governance.has_perm("plans.change_action")
    assert is_lead(lead) and not lead.is_staff
    assert lead.has_perm("plans.view_action") and not lead.has_perm("plans.change_action")
    assert is_board_member(board) and not board.is_staff
    assert board.has_perm("plans.view_action") and not board.has_perm("plans.change_action")


def test_it_relinks_the_lead_after_the_strategy_is_replaced():
    run_demo()
    import_paper(SEED_PAPER, slug="sue", replace=True)

    run_demo()

    lead = User.objects.get(username="lead")
    assert Person.objects.filter(strategy__slug="sue", user=lead).exists()
    assert User.objects.filter(username="lead").count() == 1
