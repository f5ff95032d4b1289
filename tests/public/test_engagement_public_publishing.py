"""Governance's page for the public summary of engagement: the introduction, checked for
reading ease and personal data, and what each activity changed, published and withdrawn."""

import pytest

from planboard.engagement.models import Activity
from planboard.public.models import EngagementSummary
from tests.bounds import database_fingerprint
from tests.public.engagement_public import CLINIC, INTRODUCTION, MARKERS, MENU

PAGE = "/strategies/sue/public/engagement/"
INTRO = PAGE + "introduction/"


@pytest.fixture
def governance_client(client, editor):
    client.force_login(editor)
    return client


def _outcome(strategy, title) -> Activity:
    return Activity.objects.get(strategy=strategy, title=title)


def test_only_the_governance_team_may_open_or_post(client, cast, public_engagement):
    menu = _outcome(public_engagement, "Ward menu group")
    client.force_login(cast.mia)
    before = database_fingerprint()
    for url in (PAGE, INTRO, f"{PAGE}outcomes/{menu.pk}/"):
        assert client.get(url).status_code == 403, url
    for url in (INTRO, f"{PAGE}outcomes/{menu.pk}/", f"{PAGE}outcomes/{menu.pk}/withdraw/"):
        assert client.post(url, {"summary": "Hello.", "public_outcome": "Hi."}).status_code == 403
    assert database_fingerprint() == before


def test_the_page_lists_published_and_unpublished_outcomes(
    governance_client, public_engagement, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        page = governance_client.get(PAGE).content.decode()
    assert "What it changed: published (2)" in page
    assert "What it changed: not published (2)" in page  # the forum and the survey
    assert CLINIC in page and MARKERS["withdrawn"] in page and MARKERS["unpublished"] in page
    assert "1 activity has no outcome recorded yet." not in page
    assert "Plain English" in page or "Easy to read" in page


def test_an_introduction_naming_someone_in_the_register_is_refused_on_its_field(
    governance_client, public_engagement
):
    summary = EngagementSummary.objects.get(strategy=public_engagement)
    before = database_fingerprint()
    response = governance_client.post(
        INTRO,
        {
            "summary": f"{MARKERS['participant']} helped us plan.",
            "published": "on",
            "version": str(summary.version),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "It may hold personal data (the name of someone planboard knows)" in page
    assert 'id="summary-error"' in page
    assert database_fingerprint() == before


def test_withdrawing_the_summary_takes_the_page_down(governance_client, client, public_engagement):
    summary = EngagementSummary.objects.get(strategy=public_engagement)
    response = governance_client.post(
        INTRO, {"summary": INTRODUCTION, "version": str(summary.version)}
    )
    assert response.status_code == 302 and response.url == PAGE
    assert not EngagementSummary.objects.get(strategy=public_engagement).published
    assert client.get("/public/sue/engagement/").status_code == 404


def test_an_outcome_naming_the_lead_is_refused_on_its_field(governance_client, public_engagement):
    survey = _outcome(public_engagement, "Pharmacy survey")
    url = f"{PAGE}outcomes/{survey.pk}/"
    assert MARKERS["unpublished"] in governance_client.get(url).content.decode()
    before = database_fingerprint()
    text = f"{MARKERS['lead']} changed the leaflets."
    response = governance_client.post(
        url, {"public_outcome": text, "version": str(survey.version), "publish": "1"}
    )
    assert response.status_code == 400
    assert 'id="public_outcome-error"' in response.content.decode()
    assert database_fingerprint() == before


def test_checking_reading_ease_saves_nothing(governance_client, public_engagement):
    survey = _outcome(public_engagement, "Pharmacy survey")
    before = database_fingerprint()
    response = governance_client.post(
        f"{PAGE}outcomes/{survey.pk}/",
        {"public_outcome": "We made the leaflets shorter.", "version": "1", "check": "1"},
    )
    assert response.status_code == 200 and "Reading ease of this text: <span" in response.text
    assert database_fingerprint() == before


def test_publishing_and_withdrawing_an_outcome(governance_client, client, public_engagement):
    survey = _outcome(public_engagement, "Pharmacy survey")
    text = "We made the leaflets shorter and clearer."
    response = governance_client.post(
        f"{PAGE}outcomes/{survey.pk}/",
        {"public_outcome": text, "version": str(survey.version), "publish": "1"},
    )
    assert response.status_code == 302
    assert text in client.get("/public/sue/engagement/").content.decode()
    response = governance_client.post(f"{PAGE}outcomes/{survey.pk}/withdraw/")
    assert response.status_code == 302
    page = client.get("/public/sue/engagement/").content.decode()
    assert text not in page and MENU in page


def test_an_outcome_opened_before_someone_else_published_is_not_saved_over(
    governance_client, public_engagement
):
    menu = _outcome(public_engagement, "Ward menu group")
    response = governance_client.post(
        f"{PAGE}outcomes/{menu.pk}/",
        {"public_outcome": "Mine.", "version": str(menu.version - 1), "publish": "1"},
    )
    assert response.status_code == 409
    assert _outcome(public_engagement, "Ward menu group").public_outcome == MENU
