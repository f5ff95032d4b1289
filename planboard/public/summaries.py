"""Governance's list of public summaries: which actions are published, which summaries
are missing and which are hard to read, and which ratings the public page cannot show."""

from dataclasses import dataclass

from planboard.plans.models import Action
from planboard.public.readability import Readability, readability


@dataclass(frozen=True)
class SummaryRow:
    """One action as the publishing page lists it."""

    action: Action
    published: bool
    summary: str
    readability: Readability | None

    @property
    def rated_outside_key(self) -> bool:
        """Rated in a word the strategy's key does not have ("Yellow"): the public page
        cannot place it on the scale, so it shows the action as not yet rated."""
        return self.action.rag_level_id is None and bool(self.action.rag_text.strip())


def summary_rows(strategy) -> list[SummaryRow]:
    """Every action of ``strategy`` in plan order with its public text, in two queries."""
    actions = (
        Action.objects.for_strategy(strategy)
        .in_plan()
        .select_related("theme", "publication")
        .in_plan_order()
    )
    rows = []
    for action in actions:
        publication = getattr(action, "publication", None)
        summary = publication.summary if publication else ""
        rows.append(
            SummaryRow(
                action=action,
                published=bool(publication and publication.published),
                summary=summary,
                readability=readability(summary),
            )
        )
    return rows
