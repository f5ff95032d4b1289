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

from planboard.feedback import publishing as feedback_publishing
from planboard.feedback.loop import record_response
from planboard.feedback.models import FeedbackPublication, Service, Source
from planboard.feedback.services import link_feedback, record_item, save_feedback_service
from planboard.papers.covers import cover_for, save_cover
from planboard.people.models import Person
from planboard.plans.models import Action, Commitment, Strategy
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
from tests.builders import make_strategy
from tests.public.engagement_public import MARKERS, plant_engagement
from tests.shared import shared

PUBLIC_URLS = [
    "/public/",
    "/public/accessibility/",
    "/public/sue/",
    "/public/sue.json",
    "/public/sue.csv",
    "/public/sue/other-formats/",
    "/public/sue/other-formats/sent/",
    "/public/sue/you-said-we-did/",
    "/public/sue/you-said-we-did.json",
    "/public/sue/you-said-we-did.csv",
    "/public/sue/engagement/",
    "/public/sue/engagement.json",
    "/public/sue/engagement.csv",
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
    secrets |= _feedback_kept_in(strategy, editor)
    plant_engagement(strategy, editor)
    secrets |= {f"engagement {field}": marker for field, marker in MARKERS.items()}
    return secrets


def _feedback_kept_in(strategy, editor) -> dict:
    """Feedback with every field a member of the public must not see marked, one item
    published (with a flag overruled), one withdrawn, one never published, and one of
    another published strategy; returns the marks."""
    secrets = {
        "feedback title": "FEEDBACK-TITLE-1187",
        "feedback text": "FEEDBACK-TEXT-1187",
        "author role": "AUTHOR-ROLE-1187",
        "criticality": "CRITICALITY-MINIMAL-1187",
        "staff-only field": "STAFF-ONLY-1187",
        "tag": "TAG-LABEL-1187",
        "response text": "RESPONSE-TEXT-1187",
        "response author": "RESPONSE-AUTHOR-1187",
        "response organisation": "RESPONSE-ORGANISATION-1187",
        "no change reason": "NO-CHANGE-REASON-1187",
        "source id": "SOURCE-ID-1187",
        "overrule reason": "OVERRULE-REASON-1187",
        "withdrawn you said": "WITHDRAWN-SAID-1187",
        "withdrawn we did": "WITHDRAWN-DID-1187",
        "unpublished service": "UNPUBLISHED-SERVICE-1187",
        "another strategy's item": "OTHER-STRATEGY-SAID-1187",
        "raised concern": "raised_concern",
        "staff_only": "staff_only",
    }
    ward = save_feedback_service(Service(strategy=strategy, name="Willow ward"), user=None)
    hidden = save_feedback_service(
        Service(strategy=strategy, name=secrets["unpublished service"]), user=None
    )

    def item(number, services, **values):
        return record_item(
            strategy,
            user=None,
            source=Source.CARE_OPINION,
            source_id=f"{secrets['source id']}-{number}",
            title=f"{secrets['feedback title']} {number}",
            text=f"{secrets['feedback text']} {number}",
            author_role=secrets["author role"],
            staff_only={
                "criticality": secrets["criticality"],
                "assessment": secrets["staff-only field"],
            },
            raised_concern=True,
            services=services,
            tags=[(secrets["tag"], "negative")],
            **values,
        ).item

    shown, gone = item(1, [ward]), item(2, [ward])
    item(3, [hidden])  # never published
    for found in (shown, gone):
        record_response(
            found,
            user=None,
            author=secrets["response author"],
            organisation=secrets["response organisation"],
            text=secrets["response text"],
            responded_at=_at(2017, 2, 4),
            change="not_possible",
            change_reason=secrets["no change reason"],
        )
    link_feedback(
        shown,
        user=editor,
        commitments=[Commitment.objects.filter(theme__strategy=strategy).first()],
    )
    feedback_publishing.publish(
        shown,
        user=editor,
        you_said="People said the ward was noisy at night.",
        we_did="We fitted quieter doors. Write to ward-team@example.org with more ideas.",
        overrule_reason=secrets["overrule reason"],
    )
    feedback_publishing.publish(
        gone,
        user=editor,
        you_said=secrets["withdrawn you said"],
        we_did=secrets["withdrawn we did"],
    )
    feedback_publishing.withdraw(gone, user=editor)
    other = make_strategy(slug="other")
    publishing.save_strategy_publication(
        other, published=True, summary="Another strategy.", version=0, user=editor
    )
    theirs = record_item(other, user=None, source=Source.COMPLAINT, text="Theirs.").item
    feedback_publishing.publish(
        theirs, user=editor, you_said=secrets["another strategy's item"], we_did="Done."
    )
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
    # The marks the search looks for are really kept, so it could find them.
    overruled = FeedbackPublication.objects.get(we_did__startswith="We fitted quieter doors.")
    assert overruled.flag_overruled_reason == internal["overrule reason"]
    assert overruled.item.staff_only["criticality"] == internal["criticality"]
    said = client.get("/public/sue/you-said-we-did/").content.decode()
    assert "People said the ward was noisy at night." in said
    assert "We fitted quieter doors." in said and "Willow ward" in said
    for url in ("/public/sue/you-said-we-did.json", "/public/sue/you-said-we-did.csv"):
        assert "We fitted quieter doors." in client.get(url).content.decode()
