"""A whole strategy as JSON: the format that ``exchange_export`` writes and ``exchange_load`` reads.

The format moves a strategy from one planboard to another (a demo to production, a
trust to a new server) and keeps it as a readable, diffable file. Export, import into
an empty database and export again give byte-identical files (``dumps``): lists come in
a fixed order, nothing refers to a database id, dates and times are ISO 8601 (times in
UTC with their offset), and keys are sorted.

Format ``planboard-strategy``, version 1 (``docs/json-format.md`` describes every field)::

    {
      "format": "planboard-strategy", "version": 1,
      "strategy": {"slug", "title", "organisation", "period", "approval", "plan_title",
                   "plan_version", "introduction", "source_name", "allow_own_review",
                   "created_at"},
      "rag_levels": [...], "committees": [...], "areas": [...],
      "themes": [{"number", "title", "commitments": [{"number", "text", ...}]}],
      "roles": [...], "people": [...], "actions": [...],
      "periods": [...], "updates": [...], "target_changes": [...],
      "snapshots": [...], "period_records": [...], "cover_sheets": [...],
      "paper_templates": [...], "papers": [...], "users": [...],
      "public": {"published", "summary", "themes": [...], "actions": [...]}
    }

Things refer to each other by natural keys: an action by its ref ("1.3"), a commitment
by its ref, a theme by its number, a RAG level by its label, a role by its title, a
person by name, an area by name, a period by its label, an account by its username.

What is not carried, and why:
- generated papers' files: a paper's record keeps its file name, format, size and
  SHA-256 checksum (which proves which file went to a meeting), not the bytes; a
  closed period's paper can be generated again from its snapshots and record;
- the change history (django-simple-history rows): the import gives each row one
  "created" record, attributed to the importing user, with the file as its reason;
  ``planboard backup`` keeps the full history;
- reminders sent (a log that stops the same e-mail going twice in a day).
A strategy's own Word templates are carried whole (base64), as they are the trust's
own configuration and a template without its file cannot be used.

Accounts are referred to by username. On import, an account of that username is used
if there is one; otherwise an inactive account that cannot sign in is created (with
the name the file gives), so who submitted, reviewed and closed what is not lost; the
summary lists them. Import is all or nothing, and refuses an unknown format or version
and a slug already in use.

This module is the format both directions share: its name and version, the fields each
row carries, and how a value from the file becomes a checked field again.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError

from planboard.papers.models import CoverSheet, GeneratedPaper, PaperTemplate
from planboard.people.models import Person, Role
from planboard.plans.models import Action, Commitment, Committee, RagLevel, Strategy, Theme
from planboard.progress.models import (
    ActionSnapshot,
    PeriodRecord,
    ReportingPeriod,
    TargetChange,
    Update,
)

FORMAT = "planboard-strategy"
VERSION = 1


class ExchangeError(Exception):
    """A file the import refuses; its message is one sentence saying what and where."""

    def __init__(self, message: str):
        super().__init__(" ".join(str(message).split()))


def dumps(data: dict) -> str:
    """The export as text: indented, keys sorted, non-ASCII kept, ending in a newline."""
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def check_header(data) -> None:
    """Refuse anything but version 1 of the planboard strategy format."""
    if not isinstance(data, dict) or "format" not in data:
        raise ExchangeError(
            f'This is not a planboard strategy export: it has no "format": "{FORMAT}".'
        )
    if data["format"] != FORMAT:
        raise ExchangeError(
            f'This is not a planboard strategy export: its format is "{data["format"]}", '
            f'not "{FORMAT}".'
        )
    if data.get("version") != VERSION:
        raise ExchangeError(
            f"This export is version {data.get('version')!r} of the strategy format; "
            f"this planboard reads version {VERSION} only."
        )
    if not isinstance(data.get("strategy"), dict):
        raise ExchangeError('This export has no "strategy" object.')


# --- fields -----------------------------------------------------------------


def own_fields(model, *, leave_out=()) -> tuple[str, ...]:
    """The model's own columns: not its id, not its links to other rows, not file bytes."""
    return tuple(
        field.name
        for field in model._meta.concrete_fields
        if not field.primary_key
        and not field.is_relation
        and field.get_internal_type() != "BinaryField"
        and field.name not in leave_out
    )


STRATEGY = own_fields(Strategy)
LEVEL = own_fields(RagLevel)
COMMITTEE = own_fields(Committee)
ROLE = own_fields(Role)
PERSON = own_fields(Person)
THEME = own_fields(Theme)
COMMITMENT = own_fields(Commitment)
ACTION = own_fields(Action, leave_out=("number",))
PERIOD = own_fields(ReportingPeriod)
UPDATE = own_fields(Update)
TARGET_CHANGE = own_fields(TargetChange)
SNAPSHOT = own_fields(ActionSnapshot)
RECORD = own_fields(PeriodRecord)
COVER = own_fields(CoverSheet)
TEMPLATE = own_fields(PaperTemplate)
# Which task of this database's queue made it, and when it last beat, mean nothing elsewhere.
PAPER = own_fields(GeneratedPaper, leave_out=("task_id", "heartbeat_at"))
# Set by the database when a row is inserted; the import writes the file's value after.
INSERTED_AT = {Strategy: "created_at", PeriodRecord: "created_at"}
INSERTED_AT |= {PaperTemplate: "uploaded_at", GeneratedPaper: "requested_at"}


# --- reading values back ----------------------------------------------------


@contextmanager
def located(where: str):
    """Say where in the file a problem is: ``actions[12]: ...``."""
    try:
        yield
    except ExchangeError as err:
        raise ExchangeError(f"{where}: {err}") from None
    except ValidationError as err:
        raise ExchangeError(f"{where}: {' '.join(err.messages)}") from None
    except KeyError as err:
        raise ExchangeError(f"{where}: the field {err} is missing.") from None
    except (TypeError, ValueError, AttributeError) as err:
        raise ExchangeError(f"{where}: {err}") from None


def build(model, item, names, **links):
    """An unsaved ``model`` from the file's ``item``: each field converted and checked."""
    if not isinstance(item, dict):
        raise ExchangeError(f"expected an object, found {type(item).__name__}.")
    values = {}
    for name in names:
        field = model._meta.get_field(name)
        if name in item:
            value = field.to_python(item[name])
        elif field.has_default():
            value = field.get_default()
        elif field.null or name == INSERTED_AT.get(model):
            value = None
        elif field.blank:
            value = ""
        else:
            raise KeyError(name)
        if value is None and not field.null and name != INSERTED_AT.get(model):
            raise ExchangeError(f'"{name}" cannot be empty.')
        if field.choices and value not in (None, "") and value not in dict(field.flatchoices):
            allowed = ", ".join(str(key) for key, _ in field.flatchoices)
            raise ExchangeError(f'"{name}" is "{value}", which is not one of {allowed}.')
        limit = getattr(field, "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            raise ExchangeError(f'"{name}" is {len(value):,} characters long; at most {limit:,}.')
        values[name] = value
    return model(**values, **links)


def section_items(data, section) -> Iterator[tuple[str, object]]:
    items = data.get(section) or []
    if not isinstance(items, list):
        raise ExchangeError(f'"{section}" must be a list.')
    for index, item in enumerate(items):
        yield f"{section}[{index}]", item


def find(found: dict, key, what: str):
    if key not in found:
        raise ExchangeError(f'there is no {what} "{key}" in the file.')
    return found[key]


def split_ref(ref) -> tuple[int, int]:
    theme, _, number = str(ref).partition(".")
    if not (theme.isdigit() and number.isdigit()):
        raise ExchangeError(f'"{ref}" is not a ref such as "1.3".')
    return int(theme), int(number)


# The file's lists of rows, in the order the import creates them.
SECTIONS = (
    "rag_levels",
    "committees",
    "areas",
    "themes",
    "roles",
    "people",
    "actions",
    "periods",
    "updates",
    "target_changes",
    "snapshots",
    "period_records",
    "cover_sheets",
    "paper_templates",
    "papers",
)
