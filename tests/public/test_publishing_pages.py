"""Governance's publishing pages: summaries with their reading ease, switches, conflicts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from planboard.plans.models import Action
from planboard.public.models import ActionPublication, StrategyPublication
from tests.builders import make_large_plan
from tests.progress.cycle import board_member

HARD = (
    "Operationalise a co-produced, multi-directorate engagement infrastructure, "
    "institutionalising continuous improvement methodologies organisationally."
)
PLAIN = "We will ask people what they think. Then we will change what we do."


@pytest.fixture
def governance_client(client, editor):
    client.force_login(editor)
    return client


def test_the_publishing_page_lists_missing_and_hard_summaries(governance_client, published):
    action = Action.objects.for_strategy(published).get(theme__number=1, number=3)
    ActionPublication.objects.filter(action=action).update(summary=HARD)
    page = governance_client.get("/strategies/sue/public/").content.decode()
    assert "Missing (33)" in page  # 49 actions, 16 with summaries
    assert "Hard to read (1)" in page
    assert 'href="/strategies/sue/public/actions/1.3/"' in page
    assert "Plain English" in page and "reading ease" in page


def test_publishing_an_action_needs_a_summary(governance_client, published):
    response = governance_client.post(
        "/strategies/sue/public/actions/2.1/", {"summary": "", "published": "on", "version": ""}
    )
    assert response.status_code == 400
    assert "Write a public summary of action 2.1 before you publish it" in response.content.decode()
    assert not ActionPublication.objects.filter(action__theme__number=2).exists()


def test_saving_a_summary_publishes_the_action(governance_client, published, client):
    response = governance_client.post(
        "/strategies/sue/public/actions/2.1/", {"summary": PLAIN, "published": "on", "version": ""}
    )
    assert response.status_code == 302
    record = ActionPublication.objects.get(action__theme__number=2, action__number=1)
    assert (record.published, record.summary, record.version) == (True, PLAIN, 1)
    assert record.history.first().history_user.username == "gail"
    governance_client.logout()
    assert PLAIN in client.get("/public/sue/").content.decode()


def test_check_reading_ease_scores_a_draft_without_saving_it(governance_client, published):
    response = governance_client.post(
        "/strategies/sue/public/actions/2.1/",
        {"summary": HARD, "published": "", "version": "", "check": "1"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Very hard to read" in page and HARD in page
    assert not ActionPublication.objects.filter(action__theme__number=2).exists()


def test_a_second_editor_is_told_and_keeps_their_text(governance_client, published, editor):
    record = ActionPublication.objects.get(action__theme__number=1, action__number=1)
    opened = record.version
    governance_client.post(
        "/strategies/sue/public/actions/1.1/",
        {"summary": "First editor's words.", "published": "on", "version": opened},
    )
    response = governance_client.post(
        "/strategies/sue/public/actions/1.1/",
        {"summary": "Second editor's words.", "published": "on", "version": opened},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Your changes were not saved" in page
    assert "First editor&#39;s words." in page and "Second editor&#39;s words." in page
    record.refresh_from_db()
    assert record.summary == "First editor's words."
    # Saving again from the conflict page replaces the newer version knowingly.
    assert f'name="version" value="{record.version}"' in page


def test_the_strategy_and_its_themes_are_edited_the_same_way(governance_client, published):
    record = StrategyPublication.objects.get(strategy=published)
    response = governance_client.post(
        "/strategies/sue/public/strategy/",
        {"summary": PLAIN, "published": "", "version": record.version},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.published, record.summary) == (False, PLAIN)
    response = governance_client.post(
        "/strategies/sue/public/themes/2/", {"summary": PLAIN, "version": ""}
    )
    assert response.status_code == 302
    assert published.themes.get(number=2).publication.summary == PLAIN


def test_a_tampered_version_is_refused(governance_client, published):
    response = governance_client.post(
        "/strategies/sue/public/actions/1.1/", {"summary": PLAIN, "version": "abc"}
    )
    assert response.status_code == 400
    assert "This form was changed outside planboard" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/strategies/sue/public/",
        "/strategies/sue/public/strategy/",
        "/strategies/sue/public/themes/1/",
        "/strategies/sue/public/actions/1.1/",
    ],
)
def test_only_governance_can_change_the_public_page(client, published, url):
    client.force_login(board_member())
    assert client.get(url).status_code == 403
    if url.endswith("/public/"):
        return  # the list page only reads
    assert client.post(url, {"summary": PLAIN, "published": "on"}).status_code == 403
    assert not ActionPublication.objects.filter(summary=PLAIN).exists()
    assert not StrategyPublication.objects.filter(summary=PLAIN).exists()


def test_the_publishing_page_costs_the_same_for_a_plan_ten_times_larger(governance_client):
    make_large_plan(slug="small", actions=49)
    make_large_plan(slug="large", actions=490)

    def queries(slug):
        with CaptureQueriesContext(connection) as captured:
            assert governance_client.get(f"/strategies/{slug}/public/").status_code == 200
        return len(captured.captured_queries)

    assert queries("small") == queries("large")


def test_the_strategy_pages_link_governance_to_the_public_page(
    governance_client, published, client
):
    page = governance_client.get("/strategies/sue/").content.decode()
    assert '<a class="pb-subnav__link" href="/strategies/sue/public/"' in page
    publishing = governance_client.get("/strategies/sue/public/").content.decode()
    assert 'href="/strategies/sue/public/" aria-current="page">Public page</a>' in publishing
    governance_client.logout()
    client.force_login(board_member())
    page = client.get("/strategies/sue/").content.decode()
    assert "Public page</a>" not in page and "/strategies/sue/public/" not in page


def test_the_publishing_page_lists_published_ratings_outside_the_key(
    governance_client, published, client
):
    """The seed rates four of theme 1's actions "Yellow", a word its key does not have."""
    from planboard.plans.models import RagLevel

    def outside_key():
        page = governance_client.get("/strategies/sue/public/").content.decode()
        count, listed = re.search(
            r"Rated outside the key \((\d+)\)</h3>\s*<p[^>]*>(.*?)</p>", page, re.S
        ).groups()
        return int(count), re.findall(r">(\d+\.\d+)</a> \((\w+)\)", listed)

    def standings():
        return client.get("/public/sue.json").json()["strategy"]["standings"]

    assert outside_key() == (4, [(ref, "Yellow") for ref in ("1.2", "1.3", "1.4", "1.9")])
    before = standings()
    amber = RagLevel.objects.get(strategy=published, label="Amber")
    amber.aliases = ["Yellow"]
    amber.save()
    assert outside_key() == (0, [])
    after = standings()
    assert after["not_rated"] == before["not_rated"] - 4
    assert after["at_risk"] == before["at_risk"] + 4
