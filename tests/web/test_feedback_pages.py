"""The governance team's feedback pages: the list with its filters and figures, an
item's page with its forms, and the form to record a single item."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from planboard.feedback.fft_models import FriendsAndFamilyCount
from planboard.feedback.loop import record_response
from planboard.feedback.models import Change, FeedbackItem, FeedbackPublication, Source
from planboard.feedback.publishing import publish
from planboard.feedback.services import link_feedback, record_item
from tests.bounds import database_fingerprint
from tests.builders import make_person
from tests.cast import governance, lead
from tests.feedback.helpers import at, make_feedback_plan

pytestmark = pytest.mark.django_db


def _item(strategy, n, services=(), received=None, **values):
    values.setdefault("text", f"Comment {n}.")
    return record_item(
        strategy,
        user=None,
        source=values.pop("source", Source.SURVEY),
        source_id=str(n),
        title=f"Item {n}",
        received_at=received or at(2017, 1, n % 28 + 1),
        services=list(services),
        **values,
    ).item


@pytest.fixture
def plan():
    strategy, adults, ward, team, action = make_feedback_plan()
    client = Client()
    client.force_login(governance())
    return strategy, ward, team, action, client


def _url(name, strategy, **kwargs):
    return reverse(name, kwargs={"slug": strategy.slug, **kwargs})


def _titles(response) -> list[str]:
    return re.findall(r">(Item \d+)</a>", response.text)


def test_only_the_governance_team_sees_the_feedback(plan):
    strategy, ward, team, action, _ = plan
    item = _item(strategy, 1, [ward], staff_only={"criticality": "mildly critical"})
    someone = Client()
    someone.force_login(lead(strategy, [], "lena"))
    for url in (_url("feedback", strategy), _url("feedback_item", strategy, pk=item.pk)):
        response = someone.get(url)
        assert response.status_code == 403
        assert "mildly critical" not in response.text
    assert "/feedback/" not in someone.get(reverse("plan", kwargs={"slug": strategy.slug})).text


def test_the_list_filters_by_the_address(plan):
    strategy, ward, team, action, client = plan
    first = _item(strategy, 1, [ward], tags=[("waiting", "negative")], raised_concern=True)
    second = _item(strategy, 2, [team], source=Source.COMPLAINT, received=at(2017, 5, 2))
    _item(strategy, 3, [])
    link_feedback(second, user=None, actions=[action])
    record_response(
        first, user=None, responded_at=at(2017, 1, 5), text="We will.", change=Change.PLANNED
    )
    page = client.get(_url("feedback", strategy))
    assert page.status_code == 200
    assert sorted(_titles(page)) == ["Item 1", "Item 2", "Item 3"]
    assert 'href="/strategies/fb/feedback/"' in page.text  # in the strategy's sections
    cases = {
        "source=complaint": ["Item 2"],
        f"service={ward.pk}": ["Item 1"],
        "quarter=2017/18+Q1": ["Item 2"],
        "quarter=2016/17+Q4": ["Item 1", "Item 3"],
        "tag=Waiting": ["Item 1"],
        "loop=change_planned": ["Item 1"],
        "loop=received": ["Item 2", "Item 3"],
        "linked=yes": ["Item 2"],
        "linked=no": ["Item 1", "Item 3"],
        "source=survey&linked=no&loop=received": ["Item 3"],
    }
    for query, titles in cases.items():
        response = client.get(_url("feedback", strategy) + "?" + query)
        assert sorted(_titles(response)) == titles, query
    wrong = client.get(_url("feedback", strategy) + "?source=letters")
    assert wrong.status_code == 400
    assert "Choose one of the choices given." in wrong.text


def test_the_list_pages_and_keeps_its_filters(plan):
    strategy, ward, team, action, client = plan
    for n in range(1, 53):
        _item(strategy, n, received=at(2017, 1, 1 + n % 28))
    first = client.get(_url("feedback", strategy) + "?source=survey")
    assert len(_titles(first)) == 50
    assert "?source=survey&amp;page=2" in first.text
    second = client.get(_url("feedback", strategy) + "?source=survey&page=2")
    assert len(_titles(second)) == 2


def test_the_list_asks_the_same_queries_whatever_its_size(plan, django_assert_max_num_queries):
    strategy, ward, team, action, client = plan

    def add(start, count):
        for n in range(start, start + count):
            item = _item(strategy, n, [ward, team], tags=["food"], raised_concern=True)
            link_feedback(item, user=None, actions=[action])
            record_response(item, user=None, responded_at=at(2017, 2, 1), text="Thanks.")

    add(1, 2)
    with django_assert_max_num_queries(21) as small:
        assert client.get(_url("feedback", strategy)).status_code == 200
    add(3, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(_url("feedback", strategy))
    assert len(_titles(page)) == 32


def test_the_figures_are_on_the_page(plan):
    strategy, ward, team, action, client = plan
    item = _item(strategy, 1, [ward], raised_concern=True)
    record_response(
        item, user=None, responded_at=at(2017, 1, 4), text="We will.", change=Change.PLANNED
    )
    FriendsAndFamilyCount.objects.create(
        strategy=strategy,
        service=ward,
        code=ward.code,
        month=datetime.date(2017, 2, 1),
        very_good=1,
        good=3,
        poor=1,
        total_responses=5,
    )
    page = client.get(_url("feedback", strategy)).text
    figures = page[page.index('id="loop-figures"') :]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", figures, re.S)
    found = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", rows[1], re.S)
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in found]
    assert cells == ["2016/17 Q4", "Whole strategy", "1", "2", "100% (1 of 1)", "0", "80% (4 of 5)"]
    assert "Willow ward" in figures and "Adult services" in figures


def test_recording_a_single_item(plan):
    strategy, ward, team, action, client = plan
    url = _url("record_feedback", strategy)
    assert client.get(url).status_code == 200
    data = {
        "source": "complaint",
        "source_id": "C-17",
        "given_on-day": "3",
        "given_on-month": "2",
        "given_on-year": "2017",
        "title": "Letters",
        "text": "The letters came late.\n\nTwice.",
        "services": [str(ward.pk)],
        "tags": "+kind staff\n-letters\nfood",
        "raised_concern": "on",
    }
    response = client.post(url, data)
    item = FeedbackItem.objects.get(source_id="C-17")
    assert response.status_code == 302
    assert response.url == _url("feedback_item", strategy, pk=item.pk)
    assert (item.given_on.isoformat(), item.raised_concern) == ("2017-02-03", True)
    assert list(item.services.all()) == [ward]
    assert {t.label: t.polarity for t in item.tags.all()} == {
        "kind staff": "positive",
        "letters": "negative",
        "food": "neutral",
    }
    before = database_fingerprint()
    for bad, message in [
        ({"text": ""}, "Enter the feedback."),
        ({"source": ""}, "Choose where the feedback came from."),
        ({"given_on-month": "13"}, "given"),
        ({"services": ["999999"]}, "Choose services from the list."),
    ]:
        refused = client.post(url, {**data, "source_id": "C-18", **bad})
        assert refused.status_code == 400, bad
        assert message in refused.text, bad
    assert database_fingerprint() == before


def test_an_items_page_shows_its_text_escaped(plan):
    strategy, ward, team, action, client = plan
    item = _item(
        strategy,
        1,
        [ward],
        text="<script>alert(1)</script> **Bold**\n\nSecond part.",
        staff_only={"criticality": "mildly critical"},
    )
    page = client.get(_url("feedback_item", strategy, pk=item.pk))
    assert page.status_code == 200
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **Bold**</p><p>Second part.</p>" in page.text
    assert "mildly critical" in page.text  # the governance team's own page


def test_responding_and_linking_through_the_item_page(plan):
    strategy, ward, team, action, client = plan
    item = _item(strategy, 1, [ward], raised_concern=True)
    respond = _url("feedback_respond", strategy, pk=item.pk)
    when = {"responded_on-day": "4", "responded_on-month": "1", "responded_on-year": "2017"}
    before = database_fingerprint()
    refused = client.post(respond, {**when, "text": "Sorry.", "change": "not_possible"})
    assert refused.status_code == 400
    assert "Say why no change is possible" in refused.text
    assert database_fingerprint() == before
    done = client.post(respond, {**when, "text": "We will.", "change": "planned"})
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.loop_state == "change_planned"
    commitment = strategy.themes.first().commitments.first()
    link = _url("feedback_link", strategy, pk=item.pk)
    assert client.post(link, {}).status_code == 400
    assert client.post(link, {"actions": [str(action.pk)]}).status_code == 302
    assert client.post(link, {"commitments": [str(commitment.pk)]}).status_code == 302
    assert list(item.actions.all()) == [action]
    assert list(item.commitments.all()) == [commitment]
    page = client.get(_url("feedback_item", strategy, pk=item.pk)).text
    assert f"Action {action.ref}" in page and "We will." in page
    unlink = _url("feedback_unlink", strategy, pk=item.pk)
    assert client.post(unlink, {"actions": [str(action.pk)]}).status_code == 302
    assert not item.actions.exists() and item.commitments.exists()


def test_publishing_shows_the_findings_and_takes_a_reason_to_overrule(plan):
    strategy, ward, team, action, client = plan
    make_person(strategy, "Jane Smith")
    item = _item(strategy, 1, [ward])
    url = _url("feedback_publish", strategy, pk=item.pk)
    flagged = {"you_said": "Ring Jane Smith on 07700 900123.", "we_did": "We called."}
    before = database_fingerprint()
    refused = client.post(url, flagged)
    assert refused.status_code == 400
    assert "It may hold personal data" in refused.text
    assert "Ring [name removed] on [phone number removed]." in refused.text
    assert "A phone number" in refused.text or "phone number (07700 900123)" in refused.text
    assert database_fingerprint() == before
    overruled = client.post(url, {**flagged, "overrule_reason": "A made-up example."})
    assert overruled.status_code == 302
    publication = FeedbackPublication.objects.get(item=item)
    assert publication.is_published and publication.flag_overruled_reason == "A made-up example."
    withdraw = _url("feedback_withdraw", strategy, pk=item.pk)
    assert client.post(withdraw).status_code == 302
    publication.refresh_from_db()
    assert not publication.is_published


def test_a_publishing_conflict_keeps_what_was_typed(plan):
    strategy, ward, team, action, client = plan
    item = _item(strategy, 1, [ward])
    gail = FeedbackItem.objects.get(pk=item.pk)
    publish(gail, user=None, you_said="People waited.", we_did="We added a clinic.")
    form_version = FeedbackPublication.objects.get(item=item).version
    publish(gail, user=None, you_said="Waited long.", we_did="Two clinics.", version=form_version)
    url = _url("feedback_publish", strategy, pk=item.pk)
    mine = {"you_said": "Mine.", "we_did": "My words.", "version": str(form_version)}
    response = client.post(url, mine)
    assert response.status_code == 409
    assert "Your changes were not saved" in response.text
    assert "Two clinics." in response.text and "My words." in response.text
    assert FeedbackPublication.objects.get(item=item).we_did == "Two clinics."


def test_an_items_page_asks_the_same_queries_whatever_it_holds(plan, django_assert_max_num_queries):
    strategy, ward, team, action, client = plan
    item = _item(strategy, 1, [ward], tags=["food"])
    url = _url("feedback_item", strategy, pk=item.pk)
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    for n in range(8):
        record_response(item, user=None, responded_at=at(2017, 2, n + 1), text=f"Answer {n}.")
    record_item(
        strategy,
        user=None,
        source=Source.SURVEY,
        source_id="1",
        title="Item 1",
        text="Comment 1.",
        services=[ward, team],
        tags=[f"tag {n}" for n in range(8)],
    )
    link_feedback(
        item, user=None, actions=[action], commitments=strategy.themes.first().commitments.all()
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.text.count("Answer ") == 8
