"""Production creates the access groups with a command, not with the demo."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_it_creates_the_groups_once_and_reports_them(capsys):
    call_command("ensure_groups")
    first = capsys.readouterr().out
    call_command("ensure_groups")
    second = capsys.readouterr().out

    assert "Governance: created" in first
    assert "Governance: up to date" in second
    assert Group.objects.filter(name__in=["Governance", "Lead", "Board member"]).count() == 3
    assert Group.objects.get(name="Governance").permissions.filter(codename="change_action")
