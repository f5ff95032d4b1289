"""Governance's changes to what the public page shows, each checked and version-guarded.

Every save names the version the editor's form was built from (0 for a record never
saved). If someone else saved in between, ``PublicationConflict`` carries their version
and nothing is written, so the editor can compare and save again knowingly.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F

from planboard.people.access import is_governance
from planboard.public.models import (
    SUMMARY_LIMIT,
    ActionPublication,
    StrategyPublication,
    ThemePublication,
)


class PublicationConflict(Exception):
    """Someone else saved first; ``current`` is their saved version."""

    def __init__(self, current):
        super().__init__("Someone else saved this after you opened it, so yours was not saved.")
        self.current = current


class PublicationError(ValueError):
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
        raise PublicationError(f"The public summary must be {SUMMARY_LIMIT} characters or fewer.")
    if published and not summary:
        raise PublicationError(f"Write a public summary of {what} before you publish it.")
    return summary


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


def save_theme_summary(theme, *, summary: str, version: int, user):
    """Set the plain-English summary of ``theme``."""
    summary = check_summary(summary, published=False, what="the theme")
    return _save(
        ThemePublication, {"theme": theme}, {"summary": summary}, version=version, user=user
    )


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
    if user is not None and not is_governance(user):
        raise PermissionDenied("Only the governance team may change the public page.")
    if version == 0:
        record = model(**owner, **values, version=1)
        _attribute(record, user, "Public text written")
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            raise PublicationConflict(model.objects.get(**owner)) from None
        return record
    changed = model.objects.filter(**owner, version=version).update(
        version=F("version") + 1, **values
    )
    record = model.objects.filter(**owner).first()
    if not changed:
        raise PublicationConflict(record)
    # The update above bypasses save(); record the change in the history now.
    _attribute(record, user, "Public text edited")
    record.save(update_fields=["version"])
    return record


def _attribute(record, user, reason):
    record._history_user = user
    record._change_reason = reason
