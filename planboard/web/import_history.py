"""The strategy's confirmed imports, each with what it did, and the button that undoes one.

An import can be undone until a reporting period closes after it (``imports.undo``);
the page says which can, and why not for the others, in a fixed number of queries.
"""

from dataclasses import dataclass

from django.apps import apps
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from planboard.imports import undo as undoing
from planboard.imports.models import ConfirmedImport
from planboard.lib.users import display_name
from planboard.people.permissions import require_governance
from planboard.plans.models import Strategy
from planboard.progress.models import ReportingPeriod

LISTED = 200  # the latest imports shown


@dataclass(frozen=True)
class ImportRow:
    record: ConfirmedImport
    who: str
    created: str
    changed: str
    undone: str  # "" unless it was undone: by whom
    closed: str  # "" unless a period closed after it: that period's label


def imports_of(strategy) -> list[ImportRow]:
    records = list(
        ConfirmedImport.objects.filter(
            Q(listed_under=strategy.slug) | Q(strategy_slug=strategy.slug)
        ).select_related("imported_by", "undone_by")[:LISTED]
    )
    closings = list(
        ReportingPeriod.objects.filter(strategy=strategy, closed_at__isnull=False)
        .order_by("closed_at")
        .values_list("closed_at", "label")
    )
    rows = []
    for record in records:
        closed = ""
        if record.strategy_slug == strategy.slug:
            closed = next((label for at, label in closings if at > record.imported_at), "")
        rows.append(
            ImportRow(
                record=record,
                who=_who(record.imported_by),
                created=_counts(record.created),
                changed=_counts(record.changed),
                undone=_who(record.undone_by) if record.undone_at else "",
                closed=closed,
            )
        )
    return rows


def _who(user) -> str:
    return display_name(user) if user else "The command line"


def _counts(by_label: dict) -> str:
    parts = []
    for label, ids in by_label.items():
        meta = apps.get_model(label)._meta
        name = meta.verbose_name if len(ids) == 1 else meta.verbose_name_plural
        parts.append(f"{len(ids):,} {name}")
    return ", ".join(parts) or "Nothing"


def _strategy(request, slug) -> Strategy:
    strategy = get_object_or_404(Strategy, slug=slug)
    require_governance(request.user, undoing.DOING)
    return strategy


@require_GET
def imports(request, slug):
    strategy = _strategy(request, slug)
    return _page(request, strategy)


def _page(request, strategy, error=None, status=200):
    context = {
        "strategy": strategy,
        "section": "plan",
        "rows": imports_of(strategy),
        "error": error,
    }
    return render(request, "web/imports.html", context, status=status)


@require_POST
def undo(request, slug, pk):
    strategy = _strategy(request, slug)
    record = get_object_or_404(
        ConfirmedImport.objects.filter(
            Q(listed_under=strategy.slug) | Q(strategy_slug=strategy.slug)
        ),
        pk=pk,
    )
    try:
        undoing.undo_import(record, user=request.user)
    except undoing.UndoRefused as err:
        return _page(request, strategy, error={"text": str(err), "pk": record.pk}, status=400)
    messages.success(request, f"The import of {record.source} is undone.")
    if record.strategy_created and record.strategy_slug == strategy.slug:
        return redirect(reverse("home"))
    return redirect(reverse("imports", kwargs={"slug": strategy.slug}))
