"""Governance publishes the public summary of a strategy's engagement.

The summary is on the public page only while ``EngagementSummary.published_at`` is
set. Its introduction is checked as the other public texts are: within the length
limit, written before it is published, and refused while the personal-data detectors
find something in it (a name in the key, the accounts or the engagement register, a
phone number ...). What each activity changed is published and withdrawn by the
engagement app's own services (``publish_outcome``, ``withdraw_outcome``).
"""

from django.db import IntegrityError, transaction

from planboard.engagement.models import Participant
from planboard.feedback.publishing import _describe, known_names, personal_data_in
from planboard.lib import clock, versions
from planboard.lib.history import attribute
from planboard.lib.services import service
from planboard.people.permissions import require_governance
from planboard.public.models import EngagementSummary
from planboard.public.publishing import PublicationConflict, PublicationError, check_summary


def engagement_summary_of(strategy) -> EngagementSummary:
    """The strategy's engagement summary, or an unsaved, unpublished one."""
    found = EngagementSummary.objects.filter(strategy=strategy).first()
    return found or EngagementSummary(strategy=strategy, version=0)


def names_to_look_for(strategy) -> list[str]:
    """The key's, the accounts' and the engagement register's names."""
    register = Participant.objects.filter(strategy=strategy).values_list("name", flat=True)
    return sorted(set(known_names(strategy)) | set(register))


def check_introduction(strategy, introduction: str, *, published: bool) -> str:
    """The introduction as it will be kept, or a ``PublicationError`` on ``summary``."""
    introduction = check_summary(introduction, published=published, what="the engagement")
    found = personal_data_in(introduction, names_to_look_for(strategy)) if introduction else []
    if found:
        raise PublicationError(
            f"It may hold personal data ({_describe(found)}): edit it before it is saved.",
            "summary",
        )
    return introduction


@service
@transaction.atomic
def save_engagement_summary(strategy, *, summary: str, published: bool, version: int, user):
    """Write the introduction of ``strategy``'s public engagement summary, and publish or
    withdraw the summary. ``version`` is the one the form was opened at (0 for none):
    someone else's save since is a ``PublicationConflict``, not saved over."""
    require_governance(user, "change the public page", command_line_ok=True)
    introduction = check_introduction(strategy, summary, published=published)
    if version == 0:
        record = EngagementSummary(strategy=strategy, introduction=introduction, version=1)
        record.published_at = clock.now() if published else None
        attribute(record, user, "Engagement summary published" if published else "Written")
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            raise PublicationConflict(EngagementSummary.objects.get(strategy=strategy)) from None
        return record
    versions.claim(EngagementSummary, version, conflict=PublicationConflict, strategy=strategy)
    record = EngagementSummary.objects.get(strategy=strategy)
    was_published = record.published
    record.introduction = introduction
    if not published:
        record.published_at = None
    elif not was_published:
        record.published_at = clock.now()
    if published != was_published:
        reason = "Engagement summary published" if published else "Engagement summary withdrawn"
    else:
        reason = "Engagement summary edited"
    attribute(record, user, reason)
    record.save()
    return record
