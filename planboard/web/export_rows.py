"""The plan's actions as rows of plain values, for the downloads (``plan_exports``).

A download shows every action the plan page's filters select, so it reads them as the
values its cells need (``values_list``), a chunk at a time, rather than as model
instances: 5,000 instances with their themes, areas, levels and leads cost most of a
download's time and all of its memory. The leads come from a second query in the same
order, merged with the actions as both are read, so the files cost two queries however
many actions they hold, and hold no more than a chunk of either.

Each cell reads as the plan page writes it: the target by the same rules
(``targets.target_display``, ``display.target_words``), the rating as its level's label
or as written outside the key, the leads by their short names.
"""

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from planboard.lib import clock
from planboard.plans.models import Action, ActionStatus
from planboard.plans.rag import colour_for_label
from planboard.plans.targets import target_display
from planboard.web.display import target_words
from planboard.web.filters import filter_actions
from planboard.web.forms import PlanFilterForm
from planboard.web.plan_rows import lead_order

# Rows read from the database at a time.
CHUNK = 2000

FIELDS = (
    "pk",
    "theme__number",
    "number",
    "theme__title",
    "area__name",
    "cited_commitments",
    "text",
    "progress",
    "status",
    "target_date",
    "target_precision",
    "target_text",
    "rag_level__label",
    "rag_level__colour",
    "rag_text",
    "lead_text",
    "last_changed",
    "ref_as_written",
    "source",
)
# Each action's leads in plan order, then in their role's own order (as the page).
LEAD_ORDER = ("action__theme__number", "action__number", "action_id", *lead_order())
STATUS_WORDS = dict(ActionStatus.choices)


def selected_actions(request, strategy):
    """The strategy's actions the plan page's GET parameters select (a queryset)."""
    form = PlanFilterForm.for_strategy(request.GET, strategy)
    actions = Action.objects.for_strategy(strategy).in_plan()
    return filter_actions(actions, form.criteria(), clock.today())


def plan_rows(request, strategy):
    """Each selected action, in plan order, as (its cells, the colour of its rating)."""
    actions = selected_actions(request, strategy)
    history = Action.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_date")
    rows = (
        actions.annotate(last_changed=Subquery(history.values("history_date")[:1]))
        .order_by("theme__number", "number", "pk")
        .values_list(*FIELDS)
        .iterator(chunk_size=CHUNK)
    )
    leads = (
        Action.leads.through.objects.filter(action__in=actions.values("pk"))
        .order_by(*LEAD_ORDER)
        .values_list("action_id", "role__abbreviation", "role__title")
        .iterator(chunk_size=CHUNK)
    )
    zone = timezone.get_current_timezone()
    return (row_cells(row, names, zone) for row, names in with_leads(rows, leads))


def with_leads(rows, leads):
    """Pair each row with its leads' short names, both read in the same order."""
    pending = next(leads, None)
    for row in rows:
        names = []
        while pending is not None and pending[0] == row[0]:
            names.append(pending[1] or pending[2])
            pending = next(leads, None)
        yield row, names


def row_cells(row, names, zone) -> tuple[list, str]:
    """One action's cells (the downloads' columns; "Last updated" a date or None) and the
    tag colour of its rating. "Last updated" is the day in ``zone`` (the site's time zone).
    The target is written by the plan page's rules (``target_display``, ``target_words``)."""
    (
        _,
        theme_number,
        number,
        theme_title,
        area,
        cited,
        text,
        progress,
        status,
        target_date,
        precision,
        target_text,
        level,
        level_colour,
        rag_text,
        lead_text,
        changed,
        ref_as_written,
        source,
    ) = row
    complete = status == ActionStatus.COMPLETE
    display = target_display(target_date, precision, target_text, complete=complete)
    target = target_words(display, complete=complete)
    if level is not None:
        rating, colour = level, level_colour
    else:
        rating, colour = rag_text, colour_for_label(rag_text) if rag_text else ""
    cells = [
        f"{theme_number}.{number}",
        f"{theme_number}. {theme_title}",
        area or "",
        ", ".join(str(cited_number) for cited_number in cited or []),
        text,
        progress,
        target,
        STATUS_WORDS.get(status, status),
        rating,
        ", ".join(names) if names else lead_text,
        changed.astimezone(zone).date() if changed else None,
        ref_as_written,
        source,
    ]
    return cells, colour
