"""Governance's changes to what the public page shows, each checked and version-guarded.

Every save names the version the editor's form was built from (0 for a record never
saved). If someone else saved in between, ``PublicationConflict`` carries their version
and nothing is written, so the editor can compare and save again knowingly.
"""

from django.db import IntegrityError, transaction

from planboard.lib import versions
from planboard.lib.history import attribute
from planboard.lib.services import ServiceError, service
from planboard.people.permissions import require_governance
from planboard.public.models import (
    SUMMARY_LIMIT,
    ActionPublication,
    StrategyPublication,
    ThemePublication,
)


class PublicationConflict(versions.EditConflict):
    """Someone else saved first; ``current`` is their saved version."""


class PublicationError(ServiceError):
    """A change the rules refuse; its message is one sentence for the editor."""


def publication_of(strategy) -> StrategyPublication:
    """The strategy's publication record, or an unsaved, unpublished one."""
    found = StrategyPublication.objects.filter(strategy=strategy).first()
    return found or StrategyPublication(strategy=strategy, version=0)


def theme_publication_of(theme) -> ThemePublication:
    found = ThemePublication.objects.filter(theme=theme).first()
    return found or ThemePublication(theme=theme, version=0)


def action_publication_of(action) -> ActionPublication:
    found = ActionPublication.objects.filter(action=action).first()
    return found or ActionPublication(action=action, version=0)


def check_summary(summary: str, *, published: bool, what: str) -> str:
    """The summary as it will be kept; refuses one too long, or none for something published."""
    summary = (summary or "").replace("\r\n", "\n").strip()
    if len(summary) > SUMMARY_LIMIT:
        raise PublicationError(
            f"The public summary must be {SUMMARY_LIMIT} characters or fewer", "summary"
        )
    if published and not summary:
        raise PublicationError(f"Write a public summary of {what} before you publish it", "summary")
    return summary


@service
def save_strategy_publication(strategy, *, published: bool, summary: str, version: int, user):
    """Publish or withdraw ``strategy``'s public page and set what it is for."""
    summary = check_summary(summary, published=published, what="the strategy")
    return _save(
        StrategyPublication,
        {"strategy": strategy},
        {"published": published, "summary": summary},
        version=version,
        user=user,
    )


@service
def save_theme_summary(theme, *, summary: str, version: int, user):
    """Set the plain-English summary of ``theme``."""
    summary = check_summary(summary, published=False, what="the theme")
    return _save(
        ThemePublication, {"theme": theme}, {"summary": summary}, version=version, user=user
    )


@service
def save_action_publication(action, *, published: bool, summary: str, version: int, user):
    """Publish or withdraw ``action`` and set its plain-English summary."""
    summary = check_summary(summary, published=published, what=f"action {action.ref}")
    return _save(
        ActionPublication,
        {"action": action},
        {"published": published, "summary": summary},
        version=version,
        user=user,
    )


@transaction.atomic
def _save(model, owner: dict, values: dict, *, version: int, user):
    # ``None`` is the command line or an import: only someone with a shell on the
    # server can run those. Views always pass ``request.user``.
    require_governance(user, "change the public page", command_line_ok=True)
    if version == 0:
        record = model(**owner, **values, version=1)
        attribute(record, user, "Public text written")
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            raise PublicationConflict(model.objects.get(**owner)) from None
        return record
    versions.claim(model, version, conflict=PublicationConflict, **owner)
    record = model.objects.get(**owner)
    for name, value in values.items():
        setattr(record, name, value)
    attribute(record, user, "Public text edited")
    record.save()
    return record
