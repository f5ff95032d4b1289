"""``planboard period close`` with updates not accepted: refused, or confirmed and said."""

import json

import pytest
from django.core.management.base import CommandError

from planboard.progress.models import Update
from planboard.progress.services import return_update, submit_update
from tests.bounds import database_fingerprint
from tests.cycle_commands.conftest import run


@pytest.fixture
def unaccepted(cycle):
    """1.1 waiting for review; 1.2 returned to its leads."""
    submit_update(cycle.actions.review, user=cycle.mia, narrative="Meetings reviewed.")
    update = submit_update(cycle.actions.mapping, user=cycle.jane, narrative="Started.")
    return_update(update, user=cycle.gail, comment="Which ones?", expected_version=1)
    return cycle


def test_closing_with_updates_not_accepted_needs_the_flag(unaccepted):
    before = database_fingerprint()

    with pytest.raises(CommandError) as refused:
        run("period", "close", strategy="sue", user="gail")

    assert str(refused.value) == (
        "2 updates are not accepted; confirm that 2016/17 Q4 closes without them. "
        "Run again with --confirm-not-accepted."
    )
    assert database_fingerprint() == before


def test_with_the_flag_it_closes_and_names_each_update_not_accepted(unaccepted):
    output = run("period", "close", strategy="sue", user="gail", confirm_not_accepted=True)

    summary = json.loads(output)
    assert summary["status"] == "closed"
    assert summary["not_accepted_at_close"] == [
        {"action": "1.1", "status": "submitted"},
        {"action": "1.2", "status": "returned"},
    ]
    assert Update.objects.filter(not_accepted_at_close=True).count() == 2


def test_the_flag_is_only_for_closing(cycle):
    with pytest.raises(CommandError, match="--confirm-not-accepted is only for closing"):
        run("period", "open", strategy="sue", label="2017/18 Q1", confirm_not_accepted=True)


def test_a_close_leaving_no_update_unaccepted_says_nothing_more(cycle):
    summary = json.loads(run("period", "close", strategy="sue", user="gail"))

    assert "not_accepted_at_close" not in summary
