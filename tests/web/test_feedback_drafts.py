"""Drafts of "you said, we did": proposed by the governance team or a lead of a linked
action, never public, approved by publishing them; who may propose, the checks, the
edit conflict that keeps what was typed, and the moderation queue's drafts."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planboard.feedback.models import FeedbackPublication, Source
from planboard.feedback.publishing import propose_publication, publish, withdraw
from planboard.feedback.services import link_feedback, record_item
from planboard.lib.services import ServiceError
from planboard.lib.versions import EditConflict
from planboard.people.permissions import may_propose_publication
from tests.bounds import database_fingerprint
from tests.builders import make_action, make_role
from tests.cast import governance, lead
from tests.feedback.helpers import at, make_feedback_plan
from tests.shared import shared

pytestmark = pytest.mark.django_db

SAID = {"you_said": "Discharge letters reached the GP late.", "we_did": "They go out the same day."}


def _item(strategy, n, action=None):
    item = record_item(
        strategy,
        user=None,
        source=Source.SURVEY,
        source_id=str(n),
        title=f"Item {n}",
        text=f"My letter took weeks to come, item {n}.",
        received_at=at(2017, 1, n % 28 + 1),
    ).item
    if action is not None:
        link_feedback(item, user=None, actions=[action])
    return item


@shared
def drafts_plan(db):
    """An item linked to an action led by Lena; Otto leads another action of the
    strategy, Nora leads none, Gail is the governance team."""
    strategy, adults, ward, team, action = make_feedback_plan()
    other_role = make_role(strategy, "Engagement Manager", "EM")
    other = make_action(action.theme, "Run a listening event.", leads=[other_role])
    return SimpleNamespace(
        strategy=strategy,
        action=action,
        other=other,
        gail=governance(),
        lena=lead(strategy, list(action.leads.all()), "lena"),
        otto=lead(strategy, [other_role], "otto"),
        nora=lead(strategy, [], "nora"),
        item=_item(strategy, 1, action),
    )


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _url(plan, name, item=None):
    return reverse(name, kwargs={"slug": plan.strategy.slug, "pk": (item or plan.item).pk})


def public():
    """The query the public "you said, we did" page shows."""
    return FeedbackPublication.objects.filter(approved_at__isnull=False, withdrawn_at__isnull=True)


def test_who_may_propose(drafts_plan):
    plan = drafts_plan
    rule = {"gail": True, "lena": True, "otto": False, "nora": False}
    for name, may in rule.items():
        assert may_propose_publication(getattr(plan, name), plan.item) is may, name
    assert not may_propose_publication(AnonymousUser(), plan.item)
    for user in (plan.otto, plan.nora, AnonymousUser()):
        before = database_fingerprint()
        with pytest.raises(PermissionDenied, match="leads of the actions"):
            propose_publication(plan.item, user=user, **SAID)
        assert database_fingerprint() == before
    address = _url(plan, "feedback_propose")
    for name in ("otto", "nora"):
        client = _client(getattr(plan, name))
        before = database_fingerprint()
        response = client.post(address, {**SAID, "version": "0"})
        assert response.status_code == 403, name
        assert database_fingerprint() == before, name
        page = client.get(_url(plan, "feedback_item")).text
        assert "Propose it for approval" not in page, name
    before = database_fingerprint()
    signed_out = Client().post(address, SAID)
    assert signed_out.status_code == 302 and signed_out["Location"].startswith(reverse("login"))
    assert database_fingerprint() == before
    assert not FeedbackPublication.objects.exists()
    for user in (plan.lena, plan.gail):
        response = _client(user).post(address, {**SAID, "version": ""})
        assert response.status_code == 302, user
        assert FeedbackPublication.objects.get().proposed_by == user


def test_a_lead_proposes_and_the_team_approves_by_publishing(drafts_plan):
    plan = drafts_plan
    lena = _client(plan.lena)
    page = lena.get(_url(plan, "feedback_item")).text
    assert 'Propose a "you said, we did"' in page and "Never copy their own words" in page
    response = lena.post(_url(plan, "feedback_propose"), {**SAID, "version": "0"}, follow=True)
    assert "It awaits the governance team&#39;s approval" in response.text
    assert "Proposed by Lena" in response.text and SAID["we_did"] in response.text
    draft = FeedbackPublication.objects.get(item=plan.item)
    assert (draft.proposed_by, draft.approved_at, draft.is_published) == (plan.lena, None, False)
    assert draft.proposed_at is not None and draft.version == 1
    assert not public().exists()
    latest = draft.history.first()
    assert (latest.history_user, latest.history_change_reason) == (plan.lena, "Proposed")

    gail = _client(plan.gail)
    page = gail.get(_url(plan, "feedback_item")).text
    publishing = page.split('id="publishing"')[1]
    assert "Proposed by Lena" in publishing and "check it below and publish it" in publishing
    assert SAID["you_said"] + "</textarea>" in publishing
    assert 'name="version" value="1"' in publishing
    queue = gail.get(reverse("feedback_moderation", args=[plan.strategy.slug])).text
    drafts = queue.split('id="proposed"')[1].split('id="to-approve"')[0]
    assert "Item 1" in drafts and "Lena Tester, " in drafts and "None flagged" in drafts
    assert "Item 1" not in queue.split('id="proposed"')[0]

    response = gail.post(_url(plan, "feedback_publish"), {**SAID, "version": "1"})
    assert response.status_code == 302
    approved = public().get()
    assert (approved.pk, approved.approved_by, approved.proposed_by) == (
        draft.pk,
        plan.gail,
        plan.lena,
    )
    assert approved.version == 2
    assert approved.history.first().history_change_reason == "Published"
    queue = gail.get(reverse("feedback_moderation", args=[plan.strategy.slug])).text
    assert "Item 1" not in queue and "No draft is waiting for approval." in queue
    lena_page = lena.get(_url(plan, "feedback_item")).text
    assert "Propose it for approval" not in lena_page and "Published on" in lena_page


def test_flags_warn_the_proposer_but_stop_only_publishing(drafts_plan):
    plan = drafts_plan
    flagged = {"you_said": "Otto said call 020 7946 0018.", "we_did": "Rang back.", "version": "0"}
    lena = _client(plan.lena)
    response = lena.post(_url(plan, "feedback_propose"), flagged, follow=True)
    assert response.status_code == 200
    assert "It may hold personal data" in response.text
    assert "the governance team cannot publish it" in response.text
    assert FeedbackPublication.objects.get().proposed_by == plan.lena
    queue = _client(plan.gail).get(reverse("feedback_moderation", args=[plan.strategy.slug]))
    drafts = queue.text.split('id="proposed"')[1].split('id="to-approve"')[0]
    assert "phone number" in drafts.lower() and "Otto" in drafts
    gail = _client(plan.gail)
    before = database_fingerprint()
    refused = gail.post(_url(plan, "feedback_publish"), {**flagged, "version": "1"})
    assert refused.status_code == 400 and "overrule the flag with a reason" in refused.text
    assert database_fingerprint() == before
    assert not public().exists()


def test_bad_drafts_are_refused_naming_the_field(drafts_plan):
    plan = drafts_plan
    cases = [
        ({"you_said": "  ", "we_did": "Did."}, "you_said"),
        ({"you_said": "Said.", "we_did": ""}, "we_did"),
        ({"you_said": plan.item.text, "we_did": "Did."}, "you_said"),
    ]
    for texts, field in cases:
        before = database_fingerprint()
        with pytest.raises(ServiceError) as refused:
            propose_publication(plan.item, user=plan.lena, **texts)
        assert refused.value.field == field and "\n" not in str(refused.value)
        assert database_fingerprint() == before
    lena = _client(plan.lena)
    before = database_fingerprint()
    response = lena.post(
        _url(plan, "feedback_propose"), {"you_said": "", "we_did": "Kept.", "version": "0"}
    )
    assert response.status_code == 400
    assert "Enter the &#34;you said&#34; summary." in response.text
    assert 'href="#propose-you-said"' in response.text and "Kept.</textarea>" in response.text
    assert database_fingerprint() == before


def test_a_stale_draft_is_an_edit_conflict_that_keeps_what_was_typed(drafts_plan):
    plan = drafts_plan
    propose_publication(plan.item, user=plan.gail, you_said="Gail's words.", we_did="Hers.")
    mine = {"you_said": "Lena's own summary.", "we_did": "Lena's change.", "version": "0"}
    lena = _client(plan.lena)
    before = database_fingerprint()
    response = lena.post(_url(plan, "feedback_propose"), mine)
    assert response.status_code == 409
    assert "proposing it replaces theirs" in response.text
    assert "Lena&#39;s own summary.</textarea>" in response.text
    saved = response.text.split('id="saved-version"')[1]
    assert "Gail&#39;s words." in saved
    assert 'name="version" value="1"' in response.text
    assert database_fingerprint() == before
    with pytest.raises(EditConflict):
        propose_publication(plan.item, user=plan.lena, version=7, **SAID)
    assert database_fingerprint() == before
    again = lena.post(_url(plan, "feedback_propose"), {**mine, "version": "1"})
    assert again.status_code == 302
    assert FeedbackPublication.objects.get().you_said == "Lena's own summary."


def test_a_published_summary_is_changed_by_the_team_not_proposed_over(drafts_plan):
    plan = drafts_plan
    publish(plan.item, user=plan.gail, **SAID)
    before = database_fingerprint()
    for user in (plan.lena, plan.gail):
        with pytest.raises(ServiceError, match="It is published") as refused:
            propose_publication(plan.item, user=user, you_said="New.", we_did="Newer.")
        assert refused.value.field == "you_said"
    assert database_fingerprint() == before
    withdraw(plan.item, user=plan.gail)
    draft = propose_publication(plan.item, user=plan.lena, you_said="New.", we_did="Newer.")
    assert (draft.approved_at, draft.withdrawn_at, draft.approved_by) == (None, None, None)
    assert not public().exists()
    reasons = [row.history_change_reason for row in draft.history.order_by("history_id")]
    assert reasons == ["Published", "Withdrawn", "Proposed"]


def test_every_save_of_a_publication_bumps_its_version(drafts_plan):
    plan = drafts_plan
    versions = []
    for save in (
        lambda: propose_publication(plan.item, user=None, **SAID),
        lambda: publish(plan.item, user=None, **SAID),
        lambda: publish(plan.item, user=None, you_said="Changed.", we_did="Again."),
        lambda: withdraw(plan.item, user=None),
        lambda: propose_publication(plan.item, user=None, **SAID),
    ):
        save()
        versions.append(FeedbackPublication.objects.get().version)
    assert versions == [1, 2, 3, 4, 5]
    with pytest.raises(EditConflict):
        publish(plan.item, user=None, version=4, **SAID)


def test_the_queue_takes_a_fixed_number_of_queries_with_drafts(drafts_plan):
    plan = drafts_plan
    client = _client(plan.gail)
    address = reverse("feedback_moderation", args=[plan.strategy.slug])

    def add(first, last):
        for n in range(first, last):
            item = _item(plan.strategy, n, plan.action)
            proposer = plan.lena if n % 3 else plan.gail
            propose_publication(item, user=proposer, you_said=f"Said {n}.", we_did="Did.")
            if n % 2:
                withdraw(publish(item, user=None, you_said="Said.", we_did="Did.").item, user=None)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        return len(queries)

    add(2, 4)
    small = count()
    add(4, 24)
    assert count() == small
    page = client.get(address).text
    assert "Proposed, awaiting approval (11)" in page and "Not on the public page (11)" in page
