"""The plan's structure kept on planboard's own pages: themes, commitments and areas.

Each change is a service: it asks that the governance team is making it, checks what
was typed (refusing with a ``ServiceError`` naming the field), refuses a save made
from a form someone else has saved over since it was opened (``lib.versions``), and
records who made it and why in the record's history. Actions are changed in
``planboard.plans.action_changes``.

Numbers are the plan's own: a theme's number is unique in its strategy and a
commitment's in its theme. Renumbering chooses a free number; nothing else is
renumbered, so refs elsewhere (updates, findings, snapshots) keep pointing at the
same records, which they hold by id.
"""

from django.db import transaction
from django.db.models import Max

from planboard.lib import clock, versions
from planboard.lib.services import ServiceError, service
from planboard.people.editing import save_record
from planboard.people.permissions import require_governance
from planboard.plans.models import Area, Commitment, Theme
from planboard.plans.signals import commitment_added, theme_added, wording_changing

DOING = "change the plan"
MOST_NUMBER = 999
TITLE_LIMIT = 300
REASON_LIMIT = 500


class ThemeConflict(versions.EditConflict):
    default_message = (
        "Someone else changed this theme after you opened it, so your changes were not saved."
    )


class CommitmentConflict(versions.EditConflict):
    default_message = (
        "Someone else changed this commitment after you opened it, so your changes were not saved."
    )


class AreaConflict(versions.EditConflict):
    default_message = (
        "Someone else changed this area after you opened it, so your changes were not saved."
    )


def clean_text(value, field: str, label: str, *, limit: int | None = TITLE_LIMIT) -> str:
    """``value`` with its spaces tidied; refused when empty or longer than ``limit``."""
    text = " ".join(str(value or "").split()) if limit else str(value or "").strip()
    if not text:
        raise ServiceError(f"Enter the {label}", field)
    if limit and len(text) > limit:
        raise ServiceError(f"The {label} must be {limit} characters or fewer", field)
    return text


def check_number(value, field: str = "number", label: str = "number") -> int | None:
    """A whole number from 1 to 999, or None when left empty (the next free one)."""
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= MOST_NUMBER:
        raise ServiceError(f"The {label} must be a whole number from 1 to {MOST_NUMBER}", field)
    return int(text)


def next_number(rows) -> int:
    """One more than the highest number among ``rows`` (a queryset), or 1."""
    return (rows.aggregate(highest=Max("number"))["highest"] or 0) + 1


def _free_number(rows, number, *, field, taken):
    """``number``, or the next free one when None; refused when another row has it."""
    if number is None:
        return next_number(rows)
    if rows.filter(number=number).exists():
        raise ServiceError(taken.format(number=number), field)
    return number


def _claim(model, record, version, conflict):
    """Take ``record`` for writing at the ``version`` its form showed; the record as it
    is now, with its version bumped, to change and save."""
    if version is None:
        raise ServiceError("This form was changed outside planboard. Open the page again.")
    versions.claim(model, version, conflict=conflict, pk=record.pk)
    return model.objects.get(pk=record.pk)


def _changed(record, values: dict) -> list[str]:
    return [name for name, value in values.items() if getattr(record, name) != value]


def _describe(noun: str, changed: list[str], reason: str) -> str:
    said = f"{noun} changed on planboard ({', '.join(changed) or 'nothing'})"
    return f"{said}: {reason}" if reason else said


@service
@transaction.atomic
def add_theme(strategy, *, title, number=None, user) -> Theme:
    """A new theme of ``strategy``, numbered ``number`` or the next free number."""
    require_governance(user, DOING)
    title = clean_text(title, "title", "theme's title")
    number = _free_number(
        strategy.themes.select_for_update(),
        check_number(number),
        field="number",
        taken="Theme {number} already exists: choose another number",
    )
    theme = Theme(strategy=strategy, number=number, title=title)
    save_record(theme, user=user, reason="Theme added on planboard")
    theme_added.send(sender=Theme, record=theme, user=user)
    return theme


@service
@transaction.atomic
def change_theme(theme, *, title, number, version, user, reason="") -> Theme:
    """Change a theme's title or number (renumbering its commitments' and actions' refs,
    which are read from it). ``ThemeConflict`` when someone saved it since."""
    require_governance(user, DOING)
    title = clean_text(title, "title", "theme's title")
    wanted = check_number(number)
    if wanted is None:
        raise ServiceError("Enter the theme's number", "number")
    theme = _claim(Theme, theme, version, ThemeConflict)
    if wanted != theme.number:
        _free_number(
            Theme.objects.filter(strategy_id=theme.strategy_id).exclude(pk=theme.pk),
            wanted,
            field="number",
            taken="Theme {number} already exists: choose another number",
        )
    changed = _changed(theme, {"title": title, "number": wanted})
    if "title" in changed:
        wording_changing.send(sender=Theme, record=theme, user=user)
    theme.title, theme.number = title, wanted
    return save_record(theme, user=user, reason=_describe("Theme", changed, reason))


@service
@transaction.atomic
def add_commitment(theme, *, text, number=None, user) -> Commitment:
    """A new commitment of ``theme``, numbered ``number`` or the next free number."""
    require_governance(user, DOING)
    text = clean_text(text, "text", "commitment", limit=None)
    number = _free_number(
        Commitment.objects.select_for_update().filter(theme=theme),
        check_number(number),
        field="number",
        taken=f"Commitment {theme.number}.{{number}} already exists: choose another number",
    )
    commitment = Commitment(theme=theme, number=number, text=text)
    save_record(commitment, user=user, reason="Commitment added on planboard")
    commitment_added.send(sender=Commitment, record=commitment, user=user)
    return commitment


@service
@transaction.atomic
def change_commitment(
    commitment, *, text, number, version, user, retired=False, retired_reason="", reason=""
) -> Commitment:
    """Change a commitment's words or number, or retire it with a reason (or restore it).

    A retired commitment leaves the commitments page, the public page and the list an
    action's commitments are chosen from; the actions that served it keep the link in
    their history. ``CommitmentConflict`` when someone saved it since."""
    require_governance(user, DOING)
    text = clean_text(text, "text", "commitment", limit=None)
    wanted = check_number(number)
    if wanted is None:
        raise ServiceError("Enter the commitment's number", "number")
    commitment = _claim(Commitment, commitment, version, CommitmentConflict)
    if wanted != commitment.number:
        _free_number(
            Commitment.objects.filter(theme_id=commitment.theme_id).exclude(pk=commitment.pk),
            wanted,
            field="number",
            taken=f"Commitment {commitment.theme.number}.{{number}} already exists: "
            "choose another number",
        )
    values = {"text": text, "number": wanted}
    if retired and not commitment.is_retired:
        values["retired_reason"] = clean_text(
            retired_reason, "retired_reason", "reason for retiring it", limit=REASON_LIMIT
        )
        values["retired_on"] = clock.today()
    elif not retired and commitment.is_retired:
        values.update(retired_on=None, retired_reason="")
    changed = _changed(commitment, values)
    if "text" in changed:
        wording_changing.send(sender=Commitment, record=commitment, user=user)
    for name, value in values.items():
        setattr(commitment, name, value)
    return save_record(commitment, user=user, reason=_describe("Commitment", changed, reason))


def clean_area_name(strategy, name, *, leaving_out=None) -> str:
    """An area's name, refused when empty, too long or already another area's."""
    name = clean_text(name, "name", "area's name")
    others = Area.objects.filter(strategy=strategy, name__iexact=name)
    if leaving_out is not None:
        others = others.exclude(pk=leaving_out.pk)
    if others.exists():
        raise ServiceError(f"There is already an area called {name}: choose another name", "name")
    return name


@service
@transaction.atomic
def add_area(strategy, *, name, user) -> Area:
    """A new area of ``strategy``; areas are shared by all its themes."""
    require_governance(user, DOING)
    area = Area(strategy=strategy, name=clean_area_name(strategy, name))
    return save_record(area, user=user, reason="Area added on planboard")


@service
@transaction.atomic
def change_area(area, *, name, version, user, reason="") -> Area:
    """Rename an area. ``AreaConflict`` when someone saved it since."""
    require_governance(user, DOING)
    name = clean_area_name(area.strategy, name, leaving_out=area)
    area = _claim(Area, area, version, AreaConflict)
    changed = _changed(area, {"name": name})
    area.name = name
    return save_record(area, user=user, reason=_describe("Area", changed, reason))
