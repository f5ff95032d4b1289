"""Publishing "you said, we did": a moderated, plain-English summary of an item and what
was done, approved by the governance team, checked for personal data first.

``publish`` refuses while the personal-data check finds something in either text,
unless the governance team overrules the flag with a reason, which is recorded with who
and when. The check is ``personal_data_in``, which asks the detectors of
``planboard.feedback.personal_data`` (NHS numbers, phone numbers, e-mail addresses,
postcodes, dates of birth, names known to planboard) at the time of the call.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from planboard.feedback.models import SUMMARY_LIMIT, FeedbackItem, FeedbackPublication
from planboard.feedback.services import clean_text
from planboard.lib import clock
from planboard.lib.history import attribute
from planboard.lib.services import ServiceError, service
from planboard.lib.versions import claim
from planboard.people.models import Person
from planboard.people.permissions import require_feedback_rights


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
    you_said = clean_text(you_said, "you_said", SUMMARY_LIMIT, required=True)
    we_did = clean_text(we_did, "we_did", SUMMARY_LIMIT, required=True)
    overrule_reason = clean_text(overrule_reason, "overrule_reason", SUMMARY_LIMIT)
    if " ".join(you_said.split()) == " ".join(item.text.split()):
        raise ServiceError(
            "Write a plain-English summary of what was said, not the feedback's own text.",
            "you_said",
        )
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
    publication = publication_of(item)
    if publication is not None and version is not None:
        claim(FeedbackPublication, version, pk=publication.pk)
        publication.refresh_from_db()
    publication = publication or FeedbackPublication(item=item)
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
    publication.withdrawn_at = clock.now()
    attribute(publication, user, "Withdrawn")
    publication.save()
    return publication
