"""The feedback inside the plan: an action's feedback, a commitment's, and the page
where an action's leads link feedback to it; who may read and link."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planboard.feedback.loop import record_response
from planboard.feedback.models import Change, FeedbackItem, Source
from planboard.feedback.publishing import publish
from planboard.feedback.services import link_feedback, record_item
from tests.bounds import database_fingerprint
from tests.builders import make_action, make_role
from tests.cast import governance, lead
from tests.feedback.helpers import at, make_feedback_plan
from tests.shared import shared

pytestmark = pytest.mark.django_db


def _item(strategy, n, services=(), **values):
    return record_item(
        strategy,
        user=None,
        source=values.pop("source", Source.SURVEY),
        source_id=str(n),
        title=values.pop("title", f"Item {n}"),
        text=values.pop("text", f"Comment {n}."),
        received_at=at(2017, 1, n % 28 + 1),
        services=list(services),
        **values,
    ).item


@shared
def leads_plan(db):
    """The feedback plan with a second action led by another role, its leads, a member
    of the governance team, a lead of no action, and one item."""
    strategy, adults, ward, team, action = make_feedback_plan()
    other_role = make_role(strategy, "Engagement Manager", "EM")
    other = make_action(action.theme, "Run a listening event.", leads=[other_role])
    first, second = action.theme.commitments.all()
    action.commitments.add(first)
    return SimpleNamespace(
        strategy=strategy,
        ward=ward,
        team=team,
        action=action,
        other=other,
        first=first,
        second=second,
        lena=lead(strategy, list(action.leads.all()), "lena"),
        otto=lead(strategy, [other_role], "otto"),
        nora=lead(strategy, [], "nora"),
        gail=governance(),
        item=_item(strategy, 1, [ward], title="Letters came late"),
    )


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _urls(plan):
    slug, ref, pk = plan.strategy.slug, plan.action.ref, plan.item.pk
    return {
        "action_feedback": ("get", reverse("action_feedback", args=[slug, ref])),
        "action_feedback_link": (
            "post",
            reverse("action_feedback_link", kwargs={"slug": slug, "ref": ref, "pk": pk}),
        ),
        "action_feedback_unlink": (
            "post",
            reverse("action_feedback_unlink", kwargs={"slug": slug, "ref": ref, "pk": pk}),
        ),
        "feedback_item": ("get", reverse("feedback_item", args=[slug, pk])),
        "feedback_moderation": ("get", reverse("feedback_moderation", args=[slug])),
    }


def test_who_may_open_each_page(leads_plan):
    plan = leads_plan
    allowed = {
        "lena": {"action_feedback", "action_feedback_link", "action_feedback_unlink"}
        | {"feedback_item"},
        "otto": {"feedback_item"},
        "nora": set(),
        "gail": set(_urls(plan)),
    }
    for name, may in allowed.items():
        client = _client(getattr(plan, name))
        for url_name, (method, address) in _urls(plan).items():
            before = database_fingerprint()
            response = getattr(client, method)(address)
            if url_name in may:
                assert response.status_code in (200, 302), (name, url_name)
            else:
                assert response.status_code == 403, (name, url_name, response.status_code)
                assert database_fingerprint() == before, (name, url_name)
    signed_out = _client()
    for url_name, (method, address) in _urls(plan).items():
        response = getattr(signed_out, method)(address)
        assert response.status_code == 302, url_name
        assert response["Location"].startswith(reverse("login")), url_name
    assert not plan.item.actions.exists()


def test_a_lead_links_and_unlinks_their_action_through_the_services(leads_plan):
    plan = leads_plan
    client = _client(plan.lena)
    urls = _urls(plan)
    response = client.post(urls["action_feedback_link"][1], {"next_query": "source=survey"})
    assert response.status_code == 302
    assert response["Location"].endswith("/feedback/?source=survey")
    assert list(plan.item.actions.all()) == [plan.action]
    latest = plan.item.history.first()
    assert latest.history_user == plan.lena
    assert latest.history_change_reason == "Feedback linked to the plan"
    page = client.get(urls["action_feedback"][1])
    linked = page.text.split('id="to-link"')[0]
    assert "Letters came late" in linked and "Unlink" in linked
    action_page = client.get(reverse("action", args=[plan.strategy.slug, plan.action.ref]))
    assert "Feedback behind this action" in action_page.text
    assert urls["feedback_item"][1] in action_page.text
    assert urls["action_feedback"][1] in action_page.text

    assert client.post(urls["action_feedback_unlink"][1]).status_code == 302
    assert not plan.item.actions.exists()
    assert plan.item.history.first().history_change_reason == "Feedback unlinked from the plan"
    assert plan.item.history.first().history_user == plan.lena


def test_the_page_searches_filters_and_pages_the_feedback_to_link(leads_plan):
    plan = leads_plan
    _item(plan.strategy, 2, [plan.team], source=Source.COMPLAINT, text="The waiting room.")
    third = _item(plan.strategy, 3, [], title="Third")
    record_response(third, user=None, responded_at=at(2017, 2, 1), text="Made.", change=Change.MADE)
    linked = _item(plan.strategy, 4, [], title="Linked already")
    link_feedback(linked, user=None, actions=[plan.action])
    client = _client(plan.lena)
    address = _urls(plan)["action_feedback"][1]

    def to_link(query=""):
        response = client.get(address + query)
        return response, response.text.split('id="to-link"')[1]

    response, listed = to_link()
    assert response.status_code == 200
    assert all(t in listed for t in ("Letters came late", "Item 2", "Third"))
    assert "Linked already" not in listed
    assert "Linked already" in response.text.split('id="to-link"')[0]
    cases = {
        "?q=waiting+ROOM": ["Item 2"],
        "?q=letters": ["Letters came late"],
        "?source=complaint": ["Item 2"],
        f"?service={plan.ward.pk}": ["Letters came late"],
        "?loop=change_made": ["Third"],
        "?loop=received&source=survey": ["Letters came late"],
    }
    for query, shown in cases.items():
        _, listed = to_link(query)
        for title in ("Letters came late", "Item 2", "Third"):
            assert (title in listed) == (title in shown), (query, title)
    response, _ = to_link("?source=letters")
    assert response.status_code == 400
    assert "Choose one of the choices given." in response.text
    for n in range(5, 35):
        _item(plan.strategy, n, [])
    _, listed = to_link("?page=2")
    assert "page 2 of 2" in listed and "page=1" in listed


def test_a_lead_reads_an_item_without_the_governance_forms(leads_plan):
    plan = leads_plan
    record_response(
        plan.item, user=None, responded_at=at(2017, 1, 9), text="Sorry.", change=Change.MADE
    )
    publish(plan.item, user=None, you_said="Letters were late.", we_did="Sent sooner.")
    for user in (plan.lena, plan.otto):
        page = _client(user).get(_urls(plan)["feedback_item"][1])
        assert page.status_code == 200
        assert "Comment 1." in page.text and "Sent sooner." in page.text
        for form in ("Record the response", "Link to the plan", "Withdraw it", 'name="you_said"'):
            assert form not in page.text, form
    page = _client(plan.gail).get(_urls(plan)["feedback_item"][1])
    assert "Record the response" in page.text and "Withdraw it" in page.text


def _queries(client, address) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_the_plans_pages_show_the_feedback_in_a_fixed_number_of_queries(leads_plan):
    plan = leads_plan
    link_feedback(plan.item, user=None, actions=[plan.action])
    publish(plan.item, user=None, you_said="Letters were late.", we_did="Sent sooner.")
    client = _client(plan.nora)
    action_page = reverse("action", args=[plan.strategy.slug, plan.action.ref])
    commitments = reverse("commitments", args=[plan.strategy.slug])
    page = client.get(action_page).text
    assert "Letters came late" in page and "Sent sooner." in page and "Willow ward" in page
    assert _urls(plan)["feedback_item"][1] not in page  # nora may not read it
    lena_page = _client(plan.lena).get(action_page).text
    assert _urls(plan)["feedback_item"][1] in lena_page
    assert _urls(plan)["action_feedback"][1] not in _client(plan.otto).get(action_page).text
    counts = [_queries(client, action_page), _queries(client, commitments)]
    for n in range(2, 12):
        item = _item(plan.strategy, n, [plan.ward, plan.team])
        link_feedback(item, user=None, actions=[plan.action], commitments=[plan.first])
    assert [_queries(client, action_page), _queries(client, commitments)] == counts


def test_a_commitment_shows_its_feedback_directly_and_through_its_actions_once(leads_plan):
    plan = leads_plan
    both = _item(plan.strategy, 2, [], title="Both ways")
    link_feedback(both, user=None, actions=[plan.action], commitments=[plan.first])
    link_feedback(plan.item, user=None, actions=[plan.action])
    direct = _item(plan.strategy, 3, [], title="Only the second")
    link_feedback(direct, user=None, commitments=[plan.second])
    _item(plan.strategy, 4, [], title="Not linked")
    page = _client(plan.nora).get(reverse("commitments", args=[plan.strategy.slug])).text
    first, second = page.split("Feedback that served this commitment")[1:]
    assert first.count("Both ways") == 1 and "Letters came late" in first
    assert "Only the second" not in first
    assert "Only the second" in second and "Both ways" not in second
    assert "Not linked" not in page
    assert set(FeedbackItem.objects.filter(commitments=plan.first)) == {both}
