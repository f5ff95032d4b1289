"""Each event sends exactly the expected e-mails, each with a plain-text and an HTML part
linking straight to the page concerned, through the queue and a worker."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from planboard.notifications.models import Notification
from planboard.papers.generation import request_paper
from planboard.progress.services import accept_update, open_period, return_update, submit_update
from planboard.public.requests import answer_request, send_request
from tests.bounds import database_fingerprint
from tests.notifications.conftest import html_of, to
from tests.worker_process import run_worker

SITE = "https://planboard.trust.example"


def sent(cycle, action, user, **fields):
    return submit_update(action, user=user, narrative="Booked the rooms.", **fields)


def only_the_new(mailoutbox, before=0):
    return mailoutbox[before:]


def test_opening_a_period_tells_each_lead_of_an_open_action_with_their_actions(
    plan, mailoutbox, monkeypatch
):
    import datetime

    period = open_period(
        plan.strategy, "2016/17 Q4", user=plan.gail, updates_due=datetime.date(2017, 3, 31)
    )
    run_worker(monkeypatch)

    # Ken leads an open action but has no address; nobody holds Finance.
    assert sorted(m.to[0] for m in mailoutbox) == ["jane@trust.example", "mia@trust.example"]
    (mia,) = to(mailoutbox, "mia@trust.example")
    link = f"{SITE}/strategies/sue/periods/2016-17-q4/"
    assert mia.subject == "2016/17 Q4 is open for updates: Service User Engagement Strategy"
    assert mia.body.startswith("Dear Mia,\n")
    assert "Your updates are due by 31 March 2017" in mia.body
    assert "1.1  Review the structure of SUSEG meetings." in mia.body
    assert "1.2  Map service user engagement work" in mia.body
    assert link in mia.body and f'href="{link}"' in html_of(mia)
    assert f"{SITE}/my-actions/" in mia.body and f"{SITE}/my-emails/" in mia.body
    assert "<li>1.1: Review the structure of SUSEG meetings.</li>" in html_of(mia)
    assert mia.extra_headers["Auto-Submitted"] == "auto-generated"
    (jane,) = to(mailoutbox, "jane@trust.example")
    assert "1.2  Map" in jane.body and "1.1" not in jane.body
    rows = Notification.objects.filter(event=f"period-opened:{period.pk}")
    assert sorted(rows.values_list("status", flat=True)) == ["sent", "sent"]


def test_a_returned_update_tells_its_leads_with_the_comment_and_links_to_the_update(
    cycle, mailoutbox, monkeypatch
):
    run_worker(monkeypatch)  # the period's opening
    before = len(mailoutbox)
    update = sent(cycle, cycle.actions.mapping, cycle.mia)
    return_update(
        update, user=cycle.gail, comment="Say which <directorates> & when.", expected_version=1
    )
    run_worker(monkeypatch)

    new = only_the_new(mailoutbox, before)
    assert sorted(m.to[0] for m in new) == ["jane@trust.example", "mia@trust.example"]
    (mia,) = to(new, "mia@trust.example")
    link = f"{SITE}/strategies/sue/actions/1.2/update/"
    assert mia.subject == "Your update on action 1.2 was returned: 2016/17 Q4"
    assert "Gail Tester returned your update on action 1.2 for 2016/17 Q4" in mia.body
    assert "Say which <directorates> & when." in mia.body
    assert "Say which &lt;directorates&gt; &amp; when." in html_of(mia)
    assert f"{link}\n" in mia.body and f'<a href="{link}"' in html_of(mia)
    assert '<html lang="en-GB">' in html_of(mia)


def test_an_accepted_update_tells_its_lead_and_links_to_the_action(cycle, mailoutbox, monkeypatch):
    run_worker(monkeypatch)
    before = len(mailoutbox)
    update = sent(cycle, cycle.actions.review, cycle.mia)
    accept_update(update, user=cycle.gail, expected_version=1, comment="Thank you.")
    run_worker(monkeypatch)

    (mia,) = only_the_new(mailoutbox, before)
    assert mia.to == ["mia@trust.example"]
    assert mia.subject == "The update on action 1.1 was accepted: 2016/17 Q4"
    assert "Thank you." in mia.body and "Thank you." in html_of(mia)
    link = f"{SITE}/strategies/sue/actions/1.1/"
    assert link in mia.body and f'href="{link}"' in html_of(mia)


def test_a_paper_file_made_tells_whoever_asked_for_it(cycle, mailoutbox, monkeypatch, settings):
    run_worker(monkeypatch)
    before = len(mailoutbox)
    settings.PAPERS_IN_BACKGROUND = True
    job = request_paper(cycle.strategy, cycle.period, "html", user=cycle.gail)
    run_worker(monkeypatch)

    job.refresh_from_db()
    assert job.status == "done"
    (gail,) = only_the_new(mailoutbox, before)
    assert gail.to == ["gail@trust.example"]
    assert gail.subject == f"{job.filename} is ready"
    link = f"{SITE}/strategies/sue/papers/2016-17-q4/#files"
    assert link in gail.body and f'href="{link}"' in html_of(gail)


def test_a_failed_paper_file_tells_no_one(cycle, mailoutbox, monkeypatch, settings):
    from planboard.papers import generation

    def broken(*args, **kwargs):
        raise RuntimeError("The disc is full.")

    monkeypatch.setattr(generation, "write_paper", broken)
    request_paper(cycle.strategy, cycle.period, "html", user=cycle.gail)

    assert not Notification.objects.filter(kind="paper_ready").exists()


def test_a_request_tells_the_governance_team_and_its_answer_the_requester(
    cycle, mailoutbox, monkeypatch
):
    run_worker(monkeypatch)
    before = len(mailoutbox)
    request = send_request(
        cycle.strategy, format="large_print", name="Sam Jones", contact=" sam@example.org "
    )
    run_worker(monkeypatch)
    (gail,) = only_the_new(mailoutbox, before)
    assert gail.to == ["gail@trust.example"]
    link = f"{SITE}/strategies/sue/public/requests/"
    assert link in gail.body and f'href="{link}"' in html_of(gail)
    assert "Large print" in gail.body
    assert "Sam" not in gail.body + html_of(gail)  # the details stay on the page

    answer_request(request, user=cycle.gail)
    run_worker(monkeypatch)
    (sam,) = only_the_new(mailoutbox, before + 1)
    assert sam.to == ["sam@example.org"]
    assert sam.body.startswith("Dear Sam Jones,\n")
    link = f"{SITE}/public/sue/"
    assert link in sam.body and f'href="{link}"' in html_of(sam)


def test_an_answer_to_a_request_with_a_phone_number_sends_nothing(cycle):
    request = send_request(cycle.strategy, format="audio", name="Sam", contact="0114 271 6310")
    answer_request(request, user=cycle.gail)

    assert not Notification.objects.filter(kind="request_answered").exists()


def test_an_event_that_rolls_back_writes_and_queues_nothing(cycle):
    update = sent(cycle, cycle.actions.review, cycle.mia)
    before = database_fingerprint()
    tasks = DBTaskResult.objects.count()

    with pytest.raises(RuntimeError), transaction.atomic():
        return_update(update, user=cycle.gail, comment="Say more.", expected_version=1)
        assert Notification.objects.filter(kind="update_returned").count() == 1
        raise RuntimeError("something later in the same change failed")

    assert database_fingerprint() == before
    assert DBTaskResult.objects.count() == tasks
    assert not Notification.objects.filter(kind="update_returned").exists()


def test_each_message_is_written_with_its_task_in_the_events_transaction(cycle):
    update = sent(cycle, cycle.actions.review, cycle.mia)
    return_update(update, user=cycle.gail, comment="Say more.", expected_version=1)

    (row,) = Notification.objects.filter(kind="update_returned")

    task = DBTaskResult.objects.get(id=row.task_id)
    assert task.status == "READY" and task.args_kwargs["args"] == [row.pk]


def test_an_update_returned_a_second_time_is_a_new_event_and_told_again(cycle):
    update = sent(cycle, cycle.actions.review, cycle.mia)
    update = return_update(update, user=cycle.gail, comment="Say more.", expected_version=1)
    update = submit_update(
        cycle.actions.review,
        user=cycle.mia,
        narrative="Booked the rooms for May.",
        expected_version=update.version,
    )
    return_update(update, user=cycle.gail, comment="Which rooms?", expected_version=update.version)

    told = Notification.objects.filter(kind="update_returned").order_by("pk")
    assert [row.address for row in told] == ["mia@trust.example"] * 2
    assert "Say more." in told[0].body and "Which rooms?" in told[1].body


def test_an_update_accepted_with_the_reviewers_rating_tells_the_lead_what_changed_and_why(
    cycle, mailoutbox, monkeypatch
):
    from planboard.plans.models import RagLevel

    run_worker(monkeypatch)
    before = len(mailoutbox)
    green, red = (
        RagLevel.objects.get(strategy=cycle.strategy, label=label) for label in ("Green", "Red")
    )
    update = sent(cycle, cycle.actions.review, cycle.mia, proposed_rag=green)
    accept_update(
        update, user=cycle.gail, expected_version=1, adjusted_rag=red, adjustment_reason="Late."
    )
    run_worker(monkeypatch)

    (mia,) = only_the_new(mailoutbox, before)
    said = "They changed the rating from Green to Red. Their reason: Late."
    assert said in mia.body and said in html_of(mia)
