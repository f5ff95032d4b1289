"""``planboard remind``: one message per lead with exactly their outstanding actions, a
digest for governance, never the same reminder twice in a day."""

import datetime
import re
import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from planboard.people.models import Role
from planboard.progress.models import Reminder
from planboard.progress.services import close_period, return_update, submit_update
from tests.builders import make_person
from tests.cycle_commands.conftest import run

REF_LINE = re.compile(r"^(\d+\.\d+)  ", re.MULTILINE)


def messages_to(outbox, address):
    return [message for message in outbox if message.to == [address]]


def listed_refs(message) -> list[str]:
    return REF_LINE.findall(message.body)


def lead_message(outbox, address):
    (message,) = messages_to(outbox, address)
    return message


def update(cycle, action, user, **fields):
    return submit_update(action, user=user, narrative=fields.pop("narrative", "Done."), **fields)


def test_each_lead_gets_one_message_listing_exactly_their_outstanding_actions(cycle, mailoutbox):
    update(cycle, cycle.actions.review, cycle.mia)

    run("remind", strategy="sue")

    assert listed_refs(lead_message(mailoutbox, "mia@trust.example")) == ["1.2"]
    assert listed_refs(lead_message(mailoutbox, "jane@trust.example")) == ["1.2"]
    assert {tuple(m.to) for m in mailoutbox} == {
        ("mia@trust.example",),
        ("jane@trust.example",),
        ("gail@trust.example",),
    }


def test_the_lead_message_shows_each_actions_target_and_links_to_my_actions(
    cycle, mailoutbox, settings
):
    settings.SITE_URL = "https://planboard.trust.example"

    run("remind", strategy="sue")

    message = lead_message(mailoutbox, "mia@trust.example")
    assert listed_refs(message) == ["1.1", "1.2"]
    assert "1.1  Review the structure of SUSEG meetings.\n    Target: Mar 2017" in message.body
    assert "Map service user engagement work across the directorates and" in message.body
    assert "https://planboard.trust.example/my-actions/" in message.body
    assert message.subject == (
        "2016/17 Q4: 2 actions waiting for your update (Service User Engagement Strategy)"
    )
    assert message.body.startswith("Dear Mia,\n")
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert "&#" not in message.body


def test_a_returned_update_is_still_outstanding_and_its_comment_is_shown(cycle, mailoutbox):
    sent = update(cycle, cycle.actions.review, cycle.mia)
    return_update(sent, user=cycle.gail, comment="Say which meetings changed.", expected_version=1)

    run("remind", strategy="sue")

    message = lead_message(mailoutbox, "mia@trust.example")
    assert listed_refs(message) == ["1.1", "1.2"]
    assert "Returned to you with this comment: Say which meetings changed." in message.body
    (digest,) = messages_to(mailoutbox, "gail@trust.example")
    assert "Updates received (0):" in digest.body
    assert "1.1  Review the structure of SUSEG meetings." in digest.body.split("Missing")[1]


def test_a_lead_with_nothing_outstanding_gets_nothing(cycle, mailoutbox):
    update(cycle, cycle.actions.review, cycle.mia)
    update(cycle, cycle.actions.mapping, cycle.jane)

    run("remind", strategy="sue")

    assert messages_to(mailoutbox, "mia@trust.example") == []
    assert messages_to(mailoutbox, "jane@trust.example") == []


def test_governance_gets_a_digest_of_received_missing_and_overdue(cycle, mailoutbox):
    update(cycle, cycle.actions.review, cycle.mia)

    run("remind", strategy="sue")

    (digest,) = messages_to(mailoutbox, "gail@trust.example")
    body = digest.body
    assert digest.subject.startswith("2016/17 Q4 updates for Service User Engagement Strategy")
    assert "Updates received (1):\n  1.1  Waiting for review, from Mia Bajin" in body
    missing = body.split("Missing (3):")[1].split("Overdue")[0]
    assert REF_LINE.findall(missing.replace("\n  ", "\n")) == ["1.2", "1.4", "1.5"]
    overdue = body.split("Overdue")[1].split("Review the updates")[0]
    assert "1.4  Agree the budget." in overdue
    assert "Completion: 1 of 4 open actions updated (25%)." in body
    assert "By lead role:" in body
    assert "/strategies/sue/periods/" in body


def test_a_second_run_the_same_day_sends_nothing(cycle, mailoutbox):
    run("remind", strategy="sue")
    first = len(mailoutbox)

    output = run("remind", strategy="sue")

    assert len(mailoutbox) == first == 3
    assert "sent 0, skipped 3" in output
    assert Reminder.objects.count() == 3


def test_the_next_day_it_sends_again(cycle, mailoutbox):
    run("remind", strategy="sue")
    yesterday = Reminder.objects.first().sent_on - datetime.timedelta(days=1)
    Reminder.objects.update(sent_on=yesterday)

    output = run("remind", strategy="sue")

    assert len(mailoutbox) == 6
    assert "sent 3, skipped 0" in output
    assert Reminder.objects.count() == 6


def test_each_send_is_recorded_with_its_actions(cycle, mailoutbox):
    run("remind", strategy="sue")

    recorded = {
        (r.recipient.username, r.kind): r.action_refs
        for r in Reminder.objects.select_related("recipient")
    }
    assert recorded == {
        ("mia", "lead"): ["1.1", "1.2"],
        ("jane", "lead"): ["1.2"],
        ("gail", "digest"): ["1.1", "1.2", "1.4", "1.5"],
    }


def test_a_dry_run_sends_and_records_nothing_and_says_who_would_get_what(cycle, mailoutbox):
    output = run("remind", strategy="sue", dry_run=True)

    assert mailoutbox == []
    assert Reminder.objects.count() == 0
    assert "would send: lead reminder to Mia Bajin <mia@trust.example> (2 actions: 1.1, 1.2)" in (
        output
    )
    assert "would send: governance digest to Gail Tester <gail@trust.example>" in output
    assert "dry run: nothing sent or recorded" in output


def test_a_dry_run_after_a_real_one_says_who_would_be_skipped(cycle, mailoutbox):
    run("remind", strategy="sue")

    output = run("remind", strategy="sue", dry_run=True)

    assert "would send 0, skipped 3" in output
    assert len(mailoutbox) == 3


def test_a_lead_without_an_email_address_is_reported(cycle, mailoutbox):
    output = run("remind", strategy="sue")

    assert "no e-mail address: lead reminder to Ken Moss (1 action: 1.5)" in output
    assert "no e-mail address 1" in output
    assert not Reminder.objects.filter(recipient=cycle.ken).exists()


def test_the_address_in_the_plans_key_is_used_when_the_account_has_none(cycle, mailoutbox):
    cycle.ken.people.update(email="ken@trust.example")

    run("remind", strategy="sue")

    assert listed_refs(lead_message(mailoutbox, "ken@trust.example")) == ["1.5"]


def test_actions_whose_leads_have_no_account_are_reported(cycle, mailoutbox):
    output = run("remind", strategy="sue")

    assert "no lead with an account to remind: 1.4" in output


def test_inactive_accounts_are_not_reminded(cycle, mailoutbox):
    cycle.mia.is_active = False
    cycle.mia.save()

    run("remind", strategy="sue")

    assert messages_to(mailoutbox, "mia@trust.example") == []


def test_without_an_open_period_it_fails_with_one_line(cycle, mailoutbox):
    close_period(cycle.period, user=cycle.gail)

    with pytest.raises(CommandError, match="sue has no open reporting period") as raised:
        run("remind", strategy="sue")

    assert "\n" not in str(raised.value)
    assert mailoutbox == []


def test_an_unknown_strategy_fails_with_one_line(db):
    with pytest.raises(CommandError, match='There is no strategy with the slug "nope".'):
        run("remind", strategy="nope")


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"x": (550, b"no")})


class UnreachableBackend(BaseEmailBackend):
    def open(self):
        raise ConnectionRefusedError("Connection refused")

    def send_messages(self, email_messages):
        raise AssertionError("not reached")


def test_a_refused_message_is_not_recorded_so_the_next_run_tries_again(cycle, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"

    with pytest.raises(CommandError, match="could not be sent"):
        run("remind", strategy="sue")

    assert Reminder.objects.count() == 0


def test_an_unreachable_mail_server_is_one_line_and_nothing_is_recorded(cycle, settings):
    settings.EMAIL_BACKEND = f"{__name__}.UnreachableBackend"

    with pytest.raises(CommandError, match="Could not reach the mail server"):
        run("remind", strategy="sue")

    assert Reminder.objects.count() == 0


def test_the_work_does_not_grow_with_the_number_of_leads(cycle, django_user_model):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            run("remind", strategy="sue", dry_run=True)
        return len(captured)

    before = queries()
    em = Role.objects.get(abbreviation="EM")
    for n in range(5):
        user = django_user_model.objects.create_user(f"em{n}", email=f"em{n}@trust.example")
        make_person(cycle.strategy, f"Engagement Manager {n}", [em], user=user)

    assert queries() == before
