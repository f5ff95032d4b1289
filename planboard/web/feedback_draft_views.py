"""A draft "you said, we did" proposed on an item's page, for the governance team to
approve: a lead of an action the item is linked to (or the governance team) writes it,
``publishing.propose_publication`` saves it, and the governance team approves it by
publishing it on the same page (``publishing.publish``), where the draft fills the form.

The form keeps what was typed when it is refused; a draft saved by someone else since
the form was opened is an edit conflict, shown beside what was typed.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from planboard.feedback import publishing
from planboard.feedback.models import SUMMARY_LIMIT, FeedbackItem
from planboard.lib.forms import VersionField
from planboard.lib.services import ServiceError
from planboard.lib.versions import EditConflict
from planboard.people.permissions import require_publication_proposal_rights
from planboard.plans.models import Strategy
from planboard.web.feedback_forms import FeedbackForm, _text


class ProposeForm(FeedbackForm):
    """A draft "you said, we did"; its version is 0 when the item has none yet, so a
    draft someone else saves meanwhile is not written over."""

    you_said = _text('"you said" summary', SUMMARY_LIMIT, required=True, textarea=True)
    we_did = _text('"we did" summary', SUMMARY_LIMIT, required=True, textarea=True)
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ANCHORS = {name: f"propose-{anchor}" for name, anchor in self.ANCHORS.items()}


def propose_form(item, data=None) -> ProposeForm:
    """The form, filled with the item's draft (or its withdrawn summary) when it has one."""
    publication = getattr(item, "publication", None)
    initial = {"version": 0}
    if publication is not None:
        initial = {
            "you_said": publication.you_said,
            "we_did": publication.we_did,
            "version": publication.version,
        }
    return ProposeForm(data, initial=initial)


@require_POST
def feedback_propose(request, slug, pk):
    """Save the draft, or show the item's page again with the refusal (400) or the
    conflict (409), what was typed kept."""
    from planboard.web.feedback_item_views import item_page, item_url

    strategy = get_object_or_404(Strategy, slug=slug)
    item = get_object_or_404(FeedbackItem, pk=pk, strategy=strategy)
    require_publication_proposal_rights(request.user, item)
    form = propose_form(item, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            publishing.propose_publication(
                item,
                user=request.user,
                you_said=data["you_said"],
                we_did=data["we_did"],
                version=data["version"],
            )
        except EditConflict as error:
            form.data = form.data.copy()
            form.data["version"] = str(getattr(error.current, "version", 0) or 0)
            return item_page(
                request, strategy, item, status=409, conflict=error.current, propose=form
            )
        except ServiceError as error:
            form.show_service_error(error)
        else:
            messages.success(
                request,
                'Your "you said, we did" is saved. It awaits the governance team\'s approval.',
            )
            return redirect(f"{item_url(slug, item)}#publishing")
    return item_page(request, strategy, item, status=400, propose=form)
