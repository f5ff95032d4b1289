"""The public page changes only when governance publishes: the plan's changes wait.

A theme added to the plan (on planboard's pages or by an import) is kept off the public
page until something of it is published (``unlisted_themes``, the one rule both use);
a commitment added on planboard's pages is kept off until governance publishes it. When
the title of a theme or the words of a commitment the page shows change, the words
that were published are kept and shown until governance publishes the new ones on the
Public page editor. The plan's services announce their changes with the signals of
``planboard.plans.signals``, so the plan need not know about the public page.
"""

from dataclasses import dataclass

from django.db import transaction
from django.dispatch import receiver

from planboard.lib.history import attribute
from planboard.lib.services import service
from planboard.people.permissions import require_governance
from planboard.plans.models import Commitment, Theme
from planboard.plans.signals import commitment_added, theme_added, wording_changing
from planboard.public.models import CommitmentPublication, StrategyPublication, ThemePublication

KEPT_OFF = "Kept off the public page until published"
KEPT = "Published wording kept until the new wording is published"
PUBLISHED = "New wording published"


def unlisted_themes(themes) -> list[ThemePublication]:
    """Unsaved records keeping ``themes`` off the public page until something of them is
    published (an action, or the theme's summary)."""
    return [ThemePublication(theme=theme, listed=False) for theme in themes]


@receiver(theme_added, dispatch_uid="public.theme_added")
def keep_new_theme_off(sender, record, user, **kwargs):
    (publication,) = unlisted_themes([record])
    attribute(publication, user, KEPT_OFF).save()


@receiver(commitment_added, dispatch_uid="public.commitment_added")
def keep_new_commitment_off(sender, record, user, **kwargs):
    publication = CommitmentPublication(commitment=record, listed=False)
    attribute(publication, user, KEPT_OFF).save()


@receiver(wording_changing, dispatch_uid="public.wording_changing")
def keep_published_wording(sender, record, user, **kwargs):
    """Keep the words ``record`` (as it is before the change) shows on a published page."""
    if isinstance(record, Theme):
        strategy_id, model, owner, field = record.strategy_id, ThemePublication, "theme", "title"
        kept_in = "published_title"
    elif isinstance(record, Commitment):
        strategy_id, model, owner = record.theme.strategy_id, CommitmentPublication, "commitment"
        field, kept_in = "text", "published_text"
    else:
        return
    if not StrategyPublication.objects.filter(strategy_id=strategy_id, published=True).exists():
        return
    publication = model.objects.filter(**{owner: record}).first() or model(**{owner: record})
    if not publication.listed or getattr(publication, kept_in):
        return  # not on the page, or the words it shows are kept already
    setattr(publication, kept_in, getattr(record, field))
    attribute(publication, user, KEPT).save()


@dataclass(frozen=True)
class Waiting:
    """A theme or commitment whose words on the public page wait for publishing: ``shown``
    is what the public page shows ("" when it is not on the page), ``new`` the plan's."""

    kind: str  # "theme" or "commitment"
    ref: str
    shown: str
    new: str
    record: object


def waiting(strategy) -> list[Waiting]:
    """What of ``strategy`` the public page does not show yet, in plan order: new
    commitments, and themes and commitments whose words changed since published."""
    found = []
    themes = ThemePublication.objects.filter(theme__strategy=strategy).exclude(published_title="")
    for publication in themes.select_related("theme").order_by("theme__number"):
        theme = publication.theme
        if publication.published_title != theme.title:
            found.append(
                Waiting("theme", str(theme.number), publication.published_title, theme.title, theme)
            )
    commitments = (
        CommitmentPublication.objects.filter(
            commitment__theme__strategy=strategy, commitment__retired_on__isnull=True
        )
        .select_related("commitment__theme")
        .order_by("commitment__theme__number", "commitment__number")
    )
    for publication in commitments:
        commitment = publication.commitment
        shown = publication.published_text if publication.listed else ""
        if not publication.listed or (shown and shown != commitment.text):
            found.append(Waiting("commitment", commitment.ref, shown, commitment.text, commitment))
    return found


@service
@transaction.atomic
def publish_theme_wording(theme, *, user) -> None:
    """Show ``theme``'s title on the public page as the plan has it now."""
    require_governance(user, "change the public page")
    publication = ThemePublication.objects.select_for_update().filter(theme=theme).first()
    if publication is not None and publication.published_title:
        publication.published_title = ""
        attribute(publication, user, PUBLISHED).save(update_fields=["published_title"])


@service
@transaction.atomic
def publish_commitment(commitment, *, user) -> None:
    """Show ``commitment`` on the public page, in the words the plan has now."""
    require_governance(user, "change the public page")
    found = CommitmentPublication.objects.select_for_update().filter(commitment=commitment)
    publication = found.first()
    if publication is not None and (not publication.listed or publication.published_text):
        publication.listed, publication.published_text = True, ""
        attribute(publication, user, PUBLISHED).save()
