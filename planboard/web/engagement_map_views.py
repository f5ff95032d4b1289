"""The engagement map: directorate by commitment (or by quarter), each cell how many
activities and the highest level reached, the gaps in words, for every signed-in
account. The counting is ``engagement.mapping``'s; this arranges it for the page, in a
fixed number of queries whatever the number of activities."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from planboard.engagement import mapping
from planboard.engagement.models import Level
from planboard.plans.models import Strategy
from planboard.web.engagement_filters import TRUST, EngagementFilterForm

COMMITMENT, QUARTER = "commitment", "quarter"
FILTERS = ("level", "kind", "perspective", "quarter")


def chosen_filters(form) -> dict[str, list[str]]:
    """The filters chosen on a valid form, each as a list of values (none otherwise)."""
    if not form.is_bound or not form.is_valid():
        return {}
    chosen = {}
    for name in FILTERS:
        value = form.cleaned_data.get(name)
        values = [str(v) for v in value] if isinstance(value, list) else [value] if value else []
        if values:
            chosen[name] = values
    return chosen


def cell_link(strategy, row_key, column_key, view, filters) -> str:
    """The activity register filtered to one cell of the map: its directorate (a
    service's id, or "trust" for across the trust), its commitment or quarter, and the
    map's filters (a mapping of name to values; a cell's quarter replaces the filter's)."""
    query = [
        (name, value)
        for name in FILTERS
        for value in filters.get(name, ())
        if value and not (view == QUARTER and name == "quarter")
    ]
    query.append(("directorate", TRUST if row_key is None else row_key))
    query.append(("quarter" if view == QUARTER else "commitment", column_key))
    base = reverse("engagement_activities", kwargs={"slug": strategy.slug})
    return base + "?" + urlencode(query)


def view_link(strategy, view, filters) -> str:
    """The map in ``view``, keeping the filters."""
    query = [(name, value) for name in FILTERS for value in filters.get(name, ())]
    if view == QUARTER:
        query.insert(0, ("view", QUARTER))
    base = reverse("engagement_map", kwargs={"slug": strategy.slug})
    return base + ("?" + urlencode(query) if query else "")


@dataclass
class Shown:
    """A cell as the page shows it: its count, highest level and link (none for a gap)."""

    activities: int
    highest: Level | None
    href: str = ""

    @property
    def gap(self) -> bool:
        return not self.activities


def shown(cell, href="") -> Shown:
    return Shown(cell.activities, Level(cell.highest) if cell.highest else None, href)


def arrange(strategy, grid, view, filters) -> dict:
    """The grid's rows of cells with their totals, and the summary above it."""
    rows = []
    for row in grid.rows:
        cells = []
        for column in grid.columns:
            cell = grid.cell(row.key, column.key)
            href = "" if cell.gap else cell_link(strategy, row.key, column.key, view, filters)
            cells.append(shown(cell, href))
        total = grid.row_totals.get(row.key) or mapping.Cell()
        rows.append({"line": row, "cells": cells, "total": shown(total)})
    column_totals = [
        shown(grid.column_totals.get(column.key) or mapping.Cell()) for column in grid.columns
    ]
    overall = grid.total
    return {
        "grid_rows": rows,
        "column_totals": column_totals,
        "overall": shown(overall),
        "activities": overall.activities,
        "without": [row["line"].label for row in rows if row["total"].gap],
        "gaps": len(grid.gaps),
        "levels": [(Level(value), overall.levels.get(value, 0)) for value in Level.values],
    }


@require_GET
def engagement_map(request, slug):
    strategy = get_object_or_404(Strategy, slug=slug)
    form = EngagementFilterForm(request.GET or None, strategy=strategy)
    view = QUARTER if request.GET.get("view") == QUARTER else COMMITMENT
    filters = form.filters()
    grid = (mapping.by_quarter if view == QUARTER else mapping.by_commitment)(strategy, filters)
    chosen = chosen_filters(form)
    context = {
        "strategy": strategy,
        "section": "engagement",
        "form": form,
        "view": view,
        "grid": grid,
        "filtered": bool(chosen),
        "links": {name: view_link(strategy, name, chosen) for name in (COMMITMENT, QUARTER)},
        **arrange(strategy, grid, view, chosen),
    }
    status = 400 if form.errors else 200
    return render(request, "web/engagement/map.html", context, status=status)
