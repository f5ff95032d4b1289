"""An item of feedback, for the governance team: what was said, its responses and the
loop's dates, its links to the plan, and its "you said, we did".

Each form posts to its own address and, when refused, the item's page is shown again
with what was typed kept and the refusal on its field. Every write is a service of
``planboard.feedback`` (``loop.record_response``, ``services.link_feedback`` and
``unlink_feedback``, ``publishing.publish`` and ``withdraw``, and a lead's draft through
``publishing.propose_publication`` in ``feedback_draft_views``); publishing and
proposing are version-checked, and a conflict shows what is saved beside what was typed.
"""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from planboard.feedback import loop, publishing
from planboard.feedback.models import FeedbackItem, LoopState
from planboard.feedback.personal_data import redact
from planboard.feedback.services import link_feedback, unlink_feedback
from planboard.lib.services import ServiceError
from planboard.lib.versions import EditConflict
from planboard.people.permissions import (
    is_governance,
    may_propose_publication,
    require_feedback_reader,
)
from planboard.plans.models import Action, Commitment, Strategy
from planboard.web.feedback_draft_views import propose_form
from planboard.web.feedback_forms import LinkForm, PublishForm, ResponseForm
from planboard.web.feedback_views import DOING, shown
from planboard.web.people_edit_views import governed_strategy


def _item(request, slug, pk):
    """The strategy and its item ``pk``, as the services take it (nothing prefetched,
    so what they read is what is saved)."""
    strategy = governed_strategy(request, slug, DOING)
    return strategy, get_object_or_404(FeedbackItem, pk=pk, strategy=strategy)


def _shown_item(item):
    """``item`` again, with what its page shows, in a fixed number of queries."""
    items = FeedbackItem.objects.select_related("publication__proposed_by").prefetch_related(
        "services",
        "tags",
        "responses",
        Prefetch("actions", queryset=Action.objects.select_related("theme")),
        Prefetch("commitments", queryset=Commitment.objects.select_related("theme")),
    )
    return shown(items.get(pk=item.pk))


def _link_form(strategy, data=None):
    actions = Action.objects.filter(theme__strategy=strategy).select_related("theme")
    commitments = Commitment.objects.filter(theme__strategy=strategy).select_related("theme")
    return LinkForm(data, actions=actions, commitments=commitments)


def _publish_form(item, data=None):
    publication = getattr(item, "publication", None)
    initial = {}
    if publication is not None:
        initial = {
            "you_said": publication.you_said,
            "we_did": publication.we_did,
            "overrule_reason": publication.flag_overruled_reason,
            "version": publication.version,
        }
    return PublishForm(data, initial=initial)


def paragraphs(text: str) -> list[str]:
    """``text`` (plain or Markdown) as paragraphs to show escaped: never as HTML."""
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


def flagged(strategy, form) -> list[dict]:
    """What the detectors find in the summaries the form shows, each with the reasons
    and the text with every finding replaced (a suggested edit)."""
    names = None
    found = []
    for name, label in (("you_said", '"You said"'), ("we_did", '"We did"')):
        text = str(form.shown_value(name) or "")
        if not text.strip():
            continue
        if names is None:
            names = publishing.known_names(strategy)
        findings = publishing.personal_data_in(text, names)
        if findings:
            found.append(
                {
                    "label": label,
                    "reasons": [finding.reason for finding in findings],
                    "redacted": redact(text, findings),
                }
            )
    return found


def item_page(request, strategy, item, *, status=200, conflict=None, **forms):
    """The item's page, with ``forms`` (bound when refused) in place of blank ones. A
    lead who may propose its "you said, we did" (``may_propose_publication``) has the
    draft form, with what the detectors flag in it as a warning."""
    item = _shown_item(item)
    publish = forms.get("publish") or _publish_form(item)
    may_propose = (
        not is_governance(request.user)
        and not item.is_published
        and may_propose_publication(request.user, item)
    )
    propose = forms.get("propose") or (propose_form(item) if may_propose else None)
    context = {
        "strategy": strategy,
        "section": "feedback",
        "item": item,
        "paragraphs": paragraphs(item.text),
        "loop_labels": dict(LoopState.choices),
        "response_form": forms.get("response") or ResponseForm(),
        "link_form": forms.get("link") or _link_form(strategy),
        "publish_form": publish,
        "propose_form": propose,
        "findings": flagged(strategy, propose if may_propose else publish),
        "conflict": conflict,
    }
    return render(request, "web/feedback/item.html", context, status=status)


@require_GET
def feedback_item(request, slug, pk):
    """The item's page: read by the governance team and the strategy's leads
    (``may_read_feedback``); its forms are the governance team's alone."""
    strategy = get_object_or_404(Strategy, slug=slug)
    require_feedback_reader(request.user, strategy)
    item = get_object_or_404(FeedbackItem, pk=pk, strategy=strategy)
    return item_page(request, strategy, item)


def _done(request, slug, item, message, anchor=""):
    messages.success(request, message)
    return redirect(f"{item_url(slug, item)}{anchor}")


def item_url(slug, item):
    from django.urls import reverse

    return reverse("feedback_item", kwargs={"slug": slug, "pk": item.pk})


@require_POST
def feedback_respond(request, slug, pk):
    strategy, item = _item(request, slug, pk)
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            loop.record_response(item, user=request.user, **form.values())
        except ServiceError as error:
            form.show_service_error(error)
        else:
            return _done(request, slug, item, "The response is recorded.", "#responses")
    return item_page(request, strategy, item, status=400, response=form)


def _linking(request, slug, pk, service, message):
    strategy, item = _item(request, slug, pk)
    form = _link_form(strategy, request.POST)
    if form.is_valid():
        try:
            service(item, user=request.user, **form.values())
        except ServiceError as error:
            form.show_service_error(error)
        else:
            return _done(request, slug, item, message, "#links")
    return item_page(request, strategy, item, status=400, link=form)


@require_POST
def feedback_link(request, slug, pk):
    return _linking(request, slug, pk, link_feedback, "The feedback is linked to the plan.")


@require_POST
def feedback_unlink(request, slug, pk):
    return _linking(request, slug, pk, unlink_feedback, "The link is taken away.")


@require_POST
def feedback_publish(request, slug, pk):
    strategy, item = _item(request, slug, pk)
    form = _publish_form(item, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            publishing.publish(
                item,
                user=request.user,
                you_said=data["you_said"],
                we_did=data["we_did"],
                overrule_reason=data["overrule_reason"],
                version=data["version"],
            )
        except EditConflict as error:
            form.data = form.data.copy()
            form.data["version"] = str(getattr(error.current, "version", "") or "")
            return item_page(
                request, strategy, item, status=409, conflict=error.current, publish=form
            )
        except ServiceError as error:
            form.show_service_error(error)
        else:
            return _done(request, slug, item, '"You said, we did" is published.', "#publishing")
    return item_page(request, strategy, item, status=400, publish=form)


@require_POST
def feedback_withdraw(request, slug, pk):
    strategy, item = _item(request, slug, pk)
    try:
        publishing.withdraw(item, user=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
        return redirect(item_url(slug, item))
    return _done(request, slug, item, '"You said, we did" is withdrawn.', "#publishing")
