"""The moderation queue of a strategy's feedback, for the governance team: the items
whose loop is closed (a change made, or no change possible) and that have no "you said,
we did" yet, the drafts proposed by leads or the team and not approved yet (who proposed
each and when), and the other summaries that are not on the public page (never
approved, or withdrawn), each with what the personal-data detectors flag in it now.

Publishing itself happens on the item's page (``publishing.publish`` and ``withdraw``);
this page only reads, in a fixed number of queries however long the queue.
"""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from planboard.feedback import publishing
from planboard.feedback.models import LoopState
from planboard.web.feedback_queue import (
    PROPOSED,
    awaiting_approval,
    closed_unwritten,
    proposed,
)
from planboard.web.feedback_views import DOING, listed, shown
from planboard.web.people_edit_views import governed_strategy


def _flags(publication, names) -> list[str]:
    """What the detectors find in the summary now, as reasons, each text named."""
    reasons = []
    for label, text in (('"You said"', publication.you_said), ('"We did"', publication.we_did)):
        for finding in publishing.personal_data_in(text, names):
            reasons.append(f"In {label}: {finding.reason}")
    return reasons


def _with_flags(strategy, publications) -> list:
    """``publications`` with their items and who proposed them, each marked with what
    the detectors flag in it now, newest first, in a fixed number of queries."""
    publications = list(
        publications.select_related("item", "proposed_by")
        .prefetch_related("item__services")
        .order_by("-pk")
    )
    names = publishing.known_names(strategy) if publications else []
    for publication in publications:
        publication.flags = _flags(publication, names)
        shown(publication.item)
    return publications


@require_GET
def feedback_moderation(request, slug):
    strategy = governed_strategy(request, slug, DOING)
    to_write_up = [shown(item) for item in listed(closed_unwritten(strategy))]
    drafts = _with_flags(strategy, proposed(strategy))
    publications = _with_flags(strategy, awaiting_approval(strategy).exclude(PROPOSED))
    context = {
        "strategy": strategy,
        "section": "feedback",
        "to_write_up": to_write_up,
        "drafts": drafts,
        "publications": publications,
        "loop_labels": dict(LoopState.choices),
    }
    return render(request, "web/feedback/moderation.html", context)
