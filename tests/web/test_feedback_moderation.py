"""The moderation queue of a strategy's feedback: what waits for a "you said, we did",
what is not on the public page with its personal-data flags, and the counts on the
feedback list."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planboard.feedback.loop import record_response
from planboard.feedback.models import Change, FeedbackPublication, Source
from planboard.feedback.publishing import publish, withdraw
from planboard.feedback.services import record_item
from tests.builders import make_person
from tests.cast import governance, lead
from tests.feedback.helpers import at, make_feedback_plan
from tests.shared import shared

pytestmark = pytest.mark.django_db


def _item(strategy, n, change=None, **values):
    item = record_item(
        strategy,
        user=None,
        source=Source.SURVEY,
        source_id=str(n),
        title=f"Item {n}",
        text=f"Comment {n}.",
        received_at=at(2017, 1, n % 28 + 1),
        **values,
    ).item
    if change:
        reason = "No money." if change == Change.NOT_POSSIBLE else ""
        record_response(
            item,
            user=None,
            responded_at=at(2017, 2, 1),
            text="Answered.",
            change=change,
            change_reason=reason,
        )
    return item


@shared
def queue_plan(db):
    strategy, adults, ward, team, action = make_feedback_plan()
    return SimpleNamespace(
        strategy=strategy,
        action=action,
        gail=governance(),
        lena=lead(strategy, list(action.leads.all()), "lena"),
    )


def _queue(client, plan):
    return client.get(reverse("feedback_moderation", args=[plan.strategy.slug]))


def test_the_queue_lists_what_awaits_a_decision(queue_plan):
    plan = queue_plan
    strategy = plan.strategy
    _item(strategy, 1)
    _item(strategy, 2, Change.PLANNED)
    _item(strategy, 3, Change.MADE)
    _item(strategy, 4, Change.NOT_POSSIBLE)
    published = _item(strategy, 5, Change.MADE)
    publish(published, user=None, you_said="Said five.", we_did="Did five.")
    withdrawn = _item(strategy, 6, Change.MADE)
    publish(withdrawn, user=None, you_said="Said six.", we_did="Did six.")
    withdraw(withdrawn, user=None)
    make_person(strategy, "Priya Shah", [])
    draft = _item(strategy, 7, Change.MADE)
    FeedbackPublication.objects.create(
        item=draft, you_said="Priya Shah said it, call 020 7946 0018.", we_did="Did seven."
    )
    client = Client()
    client.force_login(plan.gail)
    response = _queue(client, plan)
    assert response.status_code == 200
    ready, waiting = response.text.split('id="to-approve"')
    for title, shown in {"Item 3": True, "Item 4": True, "Item 1": False, "Item 2": False}.items():
        assert (title in ready) == shown, title
    assert "Item 5" not in response.text and "Item 6" not in ready and "Item 7" not in ready
    assert "Item 6" in waiting and "Withdrawn on" in waiting
    assert "Item 7" in waiting and "Not approved yet" in waiting
    assert "Priya Shah" in waiting and "phone number" in waiting.lower()
    feedback = client.get(reverse("feedback", args=[strategy.slug])).text
    assert "2 ready to write up, 2 not on the public page" in feedback
    assert reverse("feedback_moderation", args=[strategy.slug]) in feedback


def test_only_the_governance_team_sees_the_queue(queue_plan):
    plan = queue_plan
    client = Client()
    client.force_login(plan.lena)
    assert _queue(client, plan).status_code == 403
    assert _queue(Client(), plan).status_code == 302


def test_the_queue_takes_a_fixed_number_of_queries(queue_plan):
    plan = queue_plan
    client = Client()
    client.force_login(plan.gail)

    def add(first, last):
        for n in range(first, last):
            item = _item(plan.strategy, n, Change.MADE)
            if n % 2:
                FeedbackPublication.objects.create(item=item, you_said="Said.", we_did="Did.")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert _queue(client, plan).status_code == 200
        return len(queries)

    add(1, 3)
    small = count()
    add(3, 23)
    assert count() == small
