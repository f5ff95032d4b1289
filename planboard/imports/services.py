"""``import_paper``: the one way a board paper becomes a strategy in the database.

The paper is parsed completely before anything is written, then everything is written
in one transaction, so an error anywhere leaves the database as it was. Every row gets
a historical record saying who imported it and from which file.
"""

from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from planboard.imports.docx_paper import docx_to_text
from planboard.imports.errors import PaperError
from planboard.imports.paper import parse_paper
from planboard.imports.parsed import Paper
from planboard.imports.safety import ZIP_MAGIC, read_limited
from planboard.imports.writer import write_paper
from planboard.lib.services import service
from planboard.people.models import Role
from planboard.people.permissions import require_governance
from planboard.plans.models import Action, Area, Strategy

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, and any password-protected Office file


@service
def import_paper(
    source: Path, *, slug: str | None = None, replace: bool = False, user=None, organisation=""
) -> dict:
    """Import the board paper at ``source`` (text, or a Word document) as a new strategy;
    return a summary of counts.

    Raises PaperError (one line, naming the file and line) on bad input, and when
    ``slug`` is taken unless ``replace`` is given, in which case the old strategy is
    deleted and the paper imported in its place, in the same transaction. ``user`` None
    is the command line.
    """
    require_governance(user, "import board papers", command_line_ok=True)
    path = Path(source)
    paper = parse_paper(read_paper(path), path.name)
    if organisation:
        paper.strategy.organisation = organisation
    if not paper.strategy.title:
        raise PaperError(
            "the paper does not name its strategy: add a plan heading such as "
            '"Our Strategy - Implementation Plan v1 - January 2017"',
            source=path.name,
        )
    slug = slug or slugify(paper.strategy.title)[:80].strip("-")
    if not slug or slug != slugify(slug) or len(slug) > 80:
        raise PaperError(
            f'"{slug}" cannot be a slug: use lower-case letters, digits and hyphens',
            source=path.name,
        )
    _check_lengths(paper)
    reason = f"Imported from {path.name}"
    try:
        with transaction.atomic():
            existing = Strategy.objects.select_for_update().filter(slug=slug).first()
            if existing is not None and not replace:
                raise PaperError(
                    f'a strategy with the slug "{slug}" already exists: give --replace to '
                    "import over it, or --slug to import it under another name",
                    source=path.name,
                )
            if existing is not None:
                existing.delete()
            return write_paper(paper, slug, user=user, reason=reason)
    except IntegrityError as err:
        raise PaperError(f"the paper could not be saved ({err})", source=path.name) from None


def read_paper(path: Path) -> str:
    """The paper's text. A Word document (.docx) is read as the text Word would paste
    (see ``docx_paper``); any other file must be UTF-8 text, and is refused, naming the
    line, when it is not."""
    data = read_limited(path)
    if data.startswith(ZIP_MAGIC):
        text = docx_to_text(data, path.name)
        if not text.strip():
            raise PaperError("the Word document has no text in it", source=path.name)
        return text
    if data.startswith(_OLE2):
        raise PaperError(
            "this is an old-style Word document (.doc) or a password-protected one: open it "
            "in Word and save it as a Word Document (.docx), without a password",
            source=path.name,
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise PaperError(
            f"not a text file: byte {data[err.start]:#04x} is not UTF-8 text; "
            "save the paper as plain text (UTF-8)",
            source=path.name,
            line=line,
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise PaperError("not a text file: it contains NUL bytes", source=path.name, line=line)
    return text


def _check_lengths(paper: Paper) -> None:
    """Refuse values longer than their columns hold (PostgreSQL would; SQLite would not)."""
    limits = [
        (action, value, model, name)
        for action in paper.actions
        for value, model, name in [
            (action.rag_text, Action, "rag_text"),
            (action.target_text, Action, "target_text"),
            (action.lead_text, Action, "lead_text"),
            (action.area, Area, "name"),
            *((role.title, Role, "title") for role in action.leads),
        ]
    ]
    for action, value, model, name in limits:
        limit = model._meta.get_field(name).max_length
        if len(value) > limit:
            raise PaperError(
                f'"{value[:40]}..." is longer than the {limit} characters a '
                f"{model._meta.verbose_name} {name.replace('_', ' ')} may have",
                source=paper.source,
                line=action.line,
            )
