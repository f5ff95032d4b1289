"""No internal-only text ever reaches a public page, feed or download.

The seed strategy is published as the demo publishes it, then given everything a
governance team keeps to itself: the plan's wording of each action, progress
narratives, leads' names, updates with their review comments, findings, a cover
sheet, unpublished actions with public summaries, and someone's request for another
format. Every public URL is rendered and searched for each of them.
"""

import datetime

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from planboard.papers.covers import cover_for, save_cover
from planboard.people.models import Person
from planboard.plans.models import Action, Strategy
from planboard.progress.checker import run_checks
from planboard.progress.services import (
    accept_update,
    close_period,
    open_period,
    return_update,
    submit_update,
)
from planboard.public import publishing
from planboard.public.models import InformationRequest
from planboard.public.urls import public_patterns
from tests.shared import shared

PUBLIC_URLS = [
    "/public/",
    "/public/accessibility/",
    "/public/sue/",
    "/public/sue.json",
    "/public/sue.csv",
    "/public/sue/other-formats/",
    "/public/sue/other-formats/sent/",
]


def test_the_leak_check_visits_every_public_url():
    names = {pattern.name for pattern in public_patterns}
    assert {resolve(url).url_name for url in PUBLIC_URLS} == names


@shared
def internal(published, editor):
    """``published`` with internal text everywhere; returns the strings that must not leak."""
    strategy = published
    secrets = {
        "action wording": "PLAN-WORDING-7731",
        "progress narrative": "PROGRESS-NARRATIVE-5512",
        "update narrative": "UPDATE-NARRATIVE-9024",
        "review comment": "REVIEW-COMMENT-3317",
        "returned comment": "RETURNED-COMMENT-6408",
        "unpublished summary": "UNPUBLISHED-SUMMARY-2290",
        "cover sheet": "COVER-SHEET-4471",
        "requester": "REQUESTER-NAME-8126",
        "requester contact": "requester-8126@example.org",
    }
    actions = list(Action.objects.for_strategy(strategy).in_plan_order())
    for action in actions:
        action.text = f"{action.text} {secrets['action wording']}"
        action.progress = f"{action.progress} {secrets['progress narrative']}"
        action.save()
    # Theme 2's actions have public summaries but are not published.
    for action in actions:
        if action.theme.number == 2:
            publishing.save_action_publication(
                action,
                published=False,
                summary=f"Not for the public yet {secrets['unpublished summary']}",
                version=0,
                user=editor,
            )
    # A small team: the editor reviews the updates they give, which is recorded too.
    Strategy.objects.filter(pk=strategy.pk).update(allow_own_review=True)
    q3 = open_period(strategy, "2016/17 Q3", user=editor, when=_at(2016, 10, 1))
    close_period(q3, user=editor, when=_at(2017, 1, 2))
    open_period(strategy, "2016/17 Q4", user=editor, when=_at(2017, 1, 3))
    first, second = actions[1], actions[2]
    update = submit_update(
        first,
        user=editor,
        narrative=f"Going well {secrets['update narrative']}",
        proposed_rag=strategy.rag_levels.first(),
        when=_at(2017, 2, 1),
    )
    accept_update(
        update,
        user=editor,
        expected_version=update.version,
        comment=secrets["review comment"],
        today=datetime.date(2017, 2, 2),
    )
    other = submit_update(
        second,
        user=editor,
        narrative=f"Late {secrets['update narrative']}",
        proposed_rag=strategy.rag_levels.first(),
        when=_at(2017, 2, 1),
    )
    return_update(
        other, user=editor, comment=secrets["returned comment"], expected_version=other.version
    )
    sheet = cover_for(strategy, q3)
    save_cover(
        strategy,
        q3,
        {"outcome": secrets["cover sheet"], "presented_by": secrets["cover sheet"]},
        version=sheet.version if sheet.pk else 0,
        user=editor,
    )
    InformationRequest.objects.create(
        strategy=strategy,
        format="large_print",
        name=secrets["requester"],
        contact=secrets["requester contact"],
        received_at=_at(2017, 2, 3),
    )
    for person in Person.objects.filter(strategy=strategy):
        secrets[f"person {person.pk}"] = person.name
    for finding in run_checks(strategy, datetime.date(2017, 3, 8)):
        secrets[f"finding {finding.ref} {finding.code}"] = finding.message
    secrets["governance user"] = "Gail Tester"
    return secrets


def _at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 12))


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_no_internal_text_is_on_a_public_page(client, internal, url):
    response = client.get(url)
    assert response.status_code == 200, url
    text = response.content.decode("utf-8")
    found = {what: secret for what, secret in internal.items() if secret and secret in text}
    assert not found, f"{url} shows internal text: {found}"


def test_a_signed_in_governance_user_sees_the_same_public_page(client, internal, editor):
    anonymous = client.get("/public/sue/").content
    client.force_login(editor)
    assert client.get("/public/sue/").content == anonymous
    assert b"Gail" not in anonymous


def test_the_published_content_is_really_there(client, internal):
    """The search above would pass on an empty page; this one would not."""
    page = client.get(reverse("public_strategy", kwargs={"slug": "sue"})).content.decode()
    assert "We are finding out what each of our services already does" in page
    assert "Focussed Culture Change" in page
    assert "We will support and take forward findings" in page  # a commitment
