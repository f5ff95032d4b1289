"""The rows of the plan page's tables, read as plain values and written in one pass.

The plan page is planboard's largest page: every action of the plan, seven cells each.
Its actions are read with ``values_list`` rather than as model instances, their leads
in one more query, and each row is written once, here, by the rules the other pages
use (``display.rating_badge``, ``display.target_words``, ``targets.is_overdue``,
``plan.shorten``). The markup is the one the ``table`` macro of web/macros.html writes
for a responsive table, which the template still uses for the table around the rows;
a test renders rows both ways and holds them equal, so the two cannot drift apart.

Everything a row shows is escaped here, by ``escape_text``: MarkupSafe's own escaping,
as the templates' autoescaping does it, without wrapping each of a plan's thousands of
values in a ``Markup`` (a test holds the two equal).
"""

import functools
import json

import markupsafe
from django.db.models import TextField
from django.db.models.functions import Cast
from markupsafe import Markup, escape

from planboard.people.models import Role
from planboard.plans.models import Action, ActionStatus
from planboard.plans.targets import is_overdue, target_display
from planboard.web.display import rating_badge, target_words

#: The plan table's columns, as its head names them and each cell's label on a phone.
HEADINGS = ("Ref", "Action", "Target date", "Status", "RAG", "Leads", "Latest progress")
NO_LEADS = "None named"
NO_PROGRESS = "No progress reported yet"
NO_AREA = "No area"

CITED = "cited_commitments"
#: What a row reads of its action.
FIELDS = (
    "id",
    "theme_id",
    "number",
    "text",
    "progress",
    "target_date",
    "target_precision",
    "target_text",
    "status",
    "area_id",
    CITED,
    "rag_level_id",
    "rag_text",
    "lead_text",
)

escape_text = getattr(markupsafe, "_escape_inner", None) or (lambda text: str(escape(text)))

# Where a row (``FIELDS``) holds what the plan page groups it by.
THEME_AT, AREA_AT, CITED_AT, PROGRESS_AT = (
    FIELDS.index(name) for name in ("theme_id", "area_id", CITED, "progress")
)

OVERDUE = (
    ' <strong class="pb-overdue"><svg class="pb-overdue__icon" aria-hidden="true"'
    ' focusable="false"><use href="#pb-icon-overdue"></use></svg>Overdue</strong>'
)
NOT_IN_KEY = ' <span class="pb-note pb-nowrap">(not in key)</span>'
BODY_OPEN = Markup('\n  <tbody class="nhsuk-table__body" role="rowgroup">')
BODY_CLOSE = Markup("\n  </tbody>")


def _open(heading: str, classes: str = "") -> str:
    """The start of a responsive table's cell, with its column's label for phones."""
    extra = f" {classes}" if classes else ""
    return (
        f'<td class="nhsuk-table__cell{extra}" role="cell">'
        f'<span class="nhsuk-table__heading" aria-hidden="true">{escape(heading)} </span>'
    )


REF, TEXT, TARGET, STATUS, RAG, LEADS, PROGRESS = (
    _open(HEADINGS[0]),
    _open(HEADINGS[1], "pb-prose"),
    _open(HEADINGS[2]),
    _open(HEADINGS[3]),
    _open(HEADINGS[4]),
    _open(HEADINGS[5]),
    _open(HEADINGS[6], "pb-progress"),
)


def lead_order() -> list[str]:
    """How to order an action's leads read through the link table of actions and roles:
    as ``action.leads.all()`` gives them, by the role's own ordering."""
    return [
        f"-role__{name[1:]}" if name.startswith("-") else f"role__{name}"
        for name in Role._meta.ordering
    ]


def read_rows(roles, actions) -> tuple[list[tuple], dict[int, str]]:
    """The values of ``actions`` (in their order) and each one's leads' short names,
    joined as the plan writes them, in two queries whatever the number of actions.
    ``roles`` are the strategy's roles, already read."""
    # The commitments an area cites come as their JSON text (``cited_numbers``).
    fields = [Cast(name, TextField()) if name == CITED else name for name in FIELDS]
    rows = list(actions.values_list(*fields))
    names = {role.pk: role.short_name for role in roles}
    cited = Action.leads.through.objects.filter(action__in=actions.order_by().values("pk"))
    leads: dict[int, list[str]] = {}
    for action_id, role_id in cited.order_by(*lead_order()).values_list("action_id", "role_id"):
        leads.setdefault(action_id, []).append(names[role_id])
    return rows, {action_id: ", ".join(short) for action_id, short in leads.items()}


@functools.lru_cache(maxsize=1024)
def cited_numbers(text: str | None) -> tuple[int, ...]:
    """The commitment numbers of a row's ``cited_commitments``, read from its JSON text
    once per distinct text (the rows of an area mostly cite the same)."""
    return tuple(json.loads(text)) if text else ()


def area_heading(area_name: str | None, cited: list[int]) -> Markup:
    """The header cell of a run of rows under one area, with the commitments it cites."""
    words = escape(area_name) if area_name else escape(NO_AREA)
    if cited:
        plural = "s" if len(cited) > 1 else ""
        numbers = ", ".join(str(number) for number in cited)
        words += Markup(' <span class="pb-note">– commitment{} {}</span>').format(plural, numbers)
    return Markup(
        '\n    <tr class="nhsuk-table__row pb-group-row" role="row">\n'
        '<th class="nhsuk-table__header" scope="rowgroup" role="rowheader" colspan="{}">'
        "{}</th>\n    </tr>"
    ).format(len(HEADINGS), words)


class RowWriter:
    """Writes a plan's action rows; set up once per page with what every row shares."""

    def __init__(self, href_of, theme_numbers: dict, levels: dict, leads: dict, today):
        self.href_of = href_of
        self.theme_numbers = theme_numbers
        self.levels = levels
        self.leads = leads
        self.today = today
        self.statuses = dict(ActionStatus.choices)
        self.badges = {}  # a plan has few distinct ratings: each tag is written once

    def _tag(self, level_id, rag_text) -> str:
        badge = rating_badge(self.levels.get(level_id), rag_text)
        tag = (
            f'<strong class="nhsuk-tag nhsuk-tag--{escape_text(badge.colour)}">'
            f"{escape_text(badge.text)}</strong>{'' if badge.in_key else NOT_IN_KEY}"
        )
        self.badges[level_id, rag_text] = tag
        return tag

    def write(self, row, progress) -> str:
        """One action's row; ``progress`` is its latest progress ``shorten``-ed."""
        (pk, theme_id, number, text, _, date, precision, target_text, status, _, _) = row[:11]
        level_id, rag_text, lead_text = row[11:]
        ref = f"{self.theme_numbers[theme_id]}.{number}"
        href = self.href_of(ref)
        complete = status == ActionStatus.COMPLETE
        display = target_display(date, precision, target_text, complete=complete)
        target = escape_text(target_words(display, complete=complete))
        if is_overdue(complete=complete, target_date=date, as_of=self.today):
            target += OVERDUE
        tag = self.badges.get((level_id, rag_text)) or self._tag(level_id, rag_text)
        if not progress.text:
            words = NO_PROGRESS
        elif progress.cut:
            words = (
                f'{escape_text(progress.text)} <a href="{href}">more<span'
                f' class="nhsuk-u-visually-hidden"> progress on action {ref}</span></a>'
            )
        else:
            words = escape_text(progress.text)
        leads = self.leads.get(pk) or lead_text or NO_LEADS
        return (
            f'\n    <tr class="nhsuk-table__row pb-action-row" id="action-{ref.replace(".", "-")}"'
            f' role="row">{REF}<span><a href="{href}"><span class="nhsuk-u-visually-hidden">'
            f"Action </span>{ref}</a></span></td>\n{TEXT}{escape_text(text)}</td>{TARGET}<span>"
            f"{target.strip()}</span></td>{STATUS}{escape_text(self.statuses.get(status, status))}"
            f"</td>{RAG}<span>{tag}</span></td>{LEADS}{escape_text(leads)}</td>\n"
            f"{PROGRESS}<span>{words.strip()}</span></td>\n    </tr>"
        )
