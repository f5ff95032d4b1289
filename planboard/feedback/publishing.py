"""Publishing "you said, we did": a moderated, plain-English summary of an item and what
was done, approved by the governance team, checked for personal data first.

``publish`` refuses while the personal-data check finds something in either text,
unless the governance team overrules the flag with a reason, which is recorded with who
and when. The check is ``personal_data_in``, which asks the detectors of
``planboard.feedback.personal_data`` (NHS numbers, phone numbers, e-mail addresses,
postcodes, dates of birth, names known to planboard) at the time of the call.

``propose_publication`` saves a draft for the governance team to approve through
``publish``: the governance team or a lead of an action the item is linked to proposes
it, and the detectors' flags are only a warning then (the proposer sees them). A
published summary is not proposed over: the governance team changes it through
``publish`` or withdraws it, after which it may be proposed again. Every save of a
publication bumps its ``version``, so a form opened before it is refused as an edit
conflict.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from planboard.feedback.models import SUMMARY_LIMIT, FeedbackItem, FeedbackPublication
from planboard.feedback.services import clean_text
from planboard.lib import clock
from planboard.lib.history import attribute
from planboard.lib.services import ServiceError, service
from planboard.lib.versions import EditConflict, claim
from planboard.people.models import Person
from planboard.people.permissions import (
    require_feedback_rights,
    require_publication_proposal_rights,
)


def personal_data_in(text: str, known_names=()) -> list:
    """What the detectors find in ``text``: a list of findings, empty when none."""
    from planboard.feedback.personal_data import find_personal_data

    return list(find_personal_data(text, known_names=tuple(known_names)))


def known_names(strategy) -> list[str]:
    """The names planboard knows: the people in the strategy's key and the accounts'."""
    names = set(Person.objects.filter(strategy=strategy).values_list("name", flat=True))
    for first, last in get_user_model().objects.values_list("first_name", "last_name"):
        full = f"{first} {last}".strip()
        if full:
            names.add(full)
    return sorted(names)


def _describe(findings) -> str:
    """The findings in words, each kind once: "an NHS number, a phone number"."""
    from planboard.feedback.personal_data import DESCRIPTIONS

    kinds = []
    for finding in findings:
        words = DESCRIPTIONS[finding.kind][0]
        words = words[0].lower() + words[1:]
        if words not in kinds:
            kinds.append(words)
    return ", ".join(kinds)


def publication_of(item: FeedbackItem) -> FeedbackPublication | None:
    return FeedbackPublication.objects.filter(item=item).first()


def _texts(item: FeedbackItem, you_said: str, we_did: str) -> tuple[str, str]:
    """Both summaries, checked: given, within the limit, and "you said" not the
    feedback's own text."""
    you_said = clean_text(you_said, "you_said", SUMMARY_LIMIT, required=True)
    we_did = clean_text(we_did, "we_did", SUMMARY_LIMIT, required=True)
    if " ".join(you_said.split()) == " ".join(item.text.split()):
        raise ServiceError(
            "Write a plain-English summary of what was said, not the feedback's own text.",
            "you_said",
        )
    return you_said, we_did


def _taken(item: FeedbackItem, version: int | None) -> FeedbackPublication:
    """``item``'s publication to save, its version bumped (a new one when it has none).

    With ``version`` (the one a form was built from) a publication saved since is an
    ``EditConflict``, and so is one saved since a form built when there was none
    (``version`` 0); without it the version is bumped all the same."""
    publication = publication_of(item)
    if publication is None:
        if version:
            raise EditConflict(None)
        return FeedbackPublication(item=item)
    if version is None:
        version = publication.version
    claim(FeedbackPublication, version, pk=publication.pk)
    publication.refresh_from_db()
    return publication


@service
@transaction.atomic
def propose_publication(
    item: FeedbackItem, *, you_said: str, we_did: str, user, version: int | None = None
) -> FeedbackPublication:
    """Save ``item``'s "you said, we did" as a draft proposed by ``user``, not published
    until the governance team approves it (``publish``). Personal data flagged in it
    does not stop a draft; it stops publishing."""
    require_publication_proposal_rights(user, item)
    you_said, we_did = _texts(item, you_said, we_did)
    current = publication_of(item)
    if current is not None and current.is_published:
        raise ServiceError(
            'It is published: the governance team changes a published "you said, we did", '
            "or withdraws it before a new one is proposed.",
            "you_said",
        )
    publication = _taken(item, version)
    publication.you_said, publication.we_did = you_said, we_did
    publication.proposed_by, publication.proposed_at = user, clock.now()
    publication.approved_by = publication.approved_at = publication.withdrawn_at = None
    publication.flag_overruled_reason = ""
    publication.flag_overruled_by = publication.flag_overruled_at = None
    attribute(publication, user, "Proposed")
    publication.save()
    return publication


@service
@transaction.atomic
def publish(
    item: FeedbackItem,
    *,
    user,
    you_said: str,
    we_did: str,
    overrule_reason: str = "",
    version: int | None = None,
) -> FeedbackPublication:
    """Publish ``item``'s "you said, we did" (or publish it again, changed), approved by
    ``user``. Refused while personal data is flagged in either text, unless
    ``overrule_reason`` says why it may be published anyway."""
    require_feedback_rights(user, 'publish "you said, we did"')
    you_said, we_did = _texts(item, you_said, we_did)
    overrule_reason = clean_text(overrule_reason, "overrule_reason", SUMMARY_LIMIT)
    names = known_names(item.strategy)
    flagged = {
        field: found
        for field, text in (("you_said", you_said), ("we_did", we_did))
        if (found := personal_data_in(text, names))
    }
    if flagged and not overrule_reason:
        field, found = next(iter(flagged.items()))
        raise ServiceError(
            f"It may hold personal data ({_describe(found)}): edit it, "
            "or overrule the flag with a reason.",
            field,
        )
    publication = _taken(item, version)
    now = clock.now()
    publication.you_said, publication.we_did = you_said, we_did
    publication.approved_by, publication.approved_at = user, now
    publication.withdrawn_at = None
    if flagged:
        publication.flag_overruled_reason = overrule_reason
        publication.flag_overruled_by, publication.flag_overruled_at = user, now
    else:
        publication.flag_overruled_reason = ""
        publication.flag_overruled_by = publication.flag_overruled_at = None
    attribute(publication, user, "Published" + (" with a flag overruled" if flagged else ""))
    publication.save()
    return publication


@service
@transaction.atomic
def withdraw(item: FeedbackItem, *, user) -> FeedbackPublication:
    """Take ``item``'s "you said, we did" off the public page."""
    require_feedback_rights(user, 'withdraw "you said, we did"')
    publication = publication_of(item)
    if publication is None or not publication.is_published:
        raise ServiceError("It is not published, so there is nothing to withdraw.", "item")
    publication = _taken(item, None)
    publication.withdrawn_at = clock.now()
    attribute(publication, user, "Withdrawn")
    publication.save()
    return publication
