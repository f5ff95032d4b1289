"""The board paper as an editable Word document, filled in from a docxtpl template.

A trust may upload its own template; ``check_template`` refuses one that cannot
render, so a bad upload fails in the admin rather than in a paper job later. Without
one, the default template shipped in ``planboard/papers/docx`` is used (built by
``docx_template``). The variables a template sees are made by ``context`` and listed
in that folder's README: keep the two in step.

Templates run in Jinja's sandbox with autoescaping (text with & < > stays text) and
strict undefined variables, so a misspelt variable is refused at upload.
"""

import dataclasses
import datetime
import functools
import html
import io
import re
import zipfile

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from planboard.papers.content import (
    COVER_FIELDS,
    NOT_IN_KEY,
    NOT_RATED,
    SUMMARY_FIELDS,
    AreaGroup,
    Coverage,
    Exception_,
    Exceptions,
    Field,
    FindingLine,
    Glance,
    KeyLevel,
    Paper,
    RagCount,
    Row,
    ThemeCounts,
    ThemeSection,
    Tick,
)
from planboard.papers.formats.docx_template import (
    PORTRAIT_WIDTH,
    TEMPLATE_PATH,
    build_default_template,
)

# NHS.UK tag backgrounds (see nhsuk-frontend's tag component): pale tints that keep
# dark text readable. The cell also says the rating in words, never colour alone.
SHADES = {
    "green": "CCE5D8",
    "aqua-green": "CCEDEB",
    "blue": "CCDFF1",
    "purple": "D6CCE3",
    "pink": "EFD3E3",
    "red": "F7D4D1",
    "orange": "FFDC8E",
    "yellow": "FFF59D",
    "grey": "DBE0E3",
    "white": "FFFFFF",
}
THEME_COLUMN = Cm(5)  # the glance table's first column in the default template
EMU_PER_TWIP = 635
# Characters XML cannot hold, and the ones docxtpl would turn into paragraph or page
# breaks (\a, \f); tabs and newlines stay (a newline becomes a line break).
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_TCPR_ORDER = {
    qn(f"w:{tag}"): index
    for index, tag in enumerate(
        "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection"
        " tcFitText vAlign hideMark".split()
    )
}


class TemplateProblem(ValueError):
    """A Word template that cannot make a board paper; the message says why in one line."""


def render(
    paper, *, template: bytes | None = None, chart_png: bytes | None = None, **options
) -> bytes:
    """``paper`` as .docx bytes, from ``template`` (a trust's .docx) or the default one.

    ``chart_png``, when given, is placed above the RAG-counts table in "At a glance".
    """
    document = DocxTemplate(io.BytesIO(default_template() if template is None else template))
    paper = _clean(paper)
    chart = _Chart(document, chart_png, chart_description(paper)) if chart_png else ""
    document.render(context(paper, chart), jinja_env=_environment(), autoescape=True)
    _tidy_tables(document.docx.element.body)
    document.docx.core_properties.title = f"{paper.strategy} – {_subtitle(paper)}"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def check_template(data: bytes) -> None:
    """Raise ``TemplateProblem`` unless ``data`` is a .docx that renders a sample paper."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise TemplateProblem(
            "This file is not a Word document: save the template from Word as a .docx file."
        )
    try:
        Document(io.BytesIO(data))
    except (KeyError, ValueError, zipfile.BadZipFile, etree.LxmlError) as exc:
        raise TemplateProblem(
            "This file is a zip archive but not a Word document: "
            "save the template from Word as a .docx file."
        ) from exc
    try:
        Document(io.BytesIO(render(sample_paper(), template=data)))
    except TemplateSyntaxError as exc:
        raise TemplateProblem(
            f"The template has a broken tag{_near(exc)}: {_sentence(exc.message)}"
        ) from exc
    except (TemplateError, TypeError, ValueError, LookupError, ArithmeticError) as exc:
        raise TemplateProblem(
            f"The template fails with a sample paper{_near(exc)}: {_sentence(str(exc))}"
        ) from exc
    except (etree.LxmlError, zipfile.BadZipFile) as exc:
        raise TemplateProblem(
            "The template renders a document Word cannot open: check that each "
            "{%tr %}, {%tc %} and {%p %} tag sits alone in its row, cell or paragraph."
        ) from exc


@functools.cache
def default_template() -> bytes:
    """The shipped template (built afresh if an install left the file out)."""
    if TEMPLATE_PATH.exists():
        return TEMPLATE_PATH.read_bytes()
    return build_default_template()


def shade(colour: str) -> str:
    """The cell fill (hex, no #) for an NHS.UK tag colour name; grey when unknown."""
    return SHADES.get(colour, SHADES["grey"])


def context(paper: Paper, chart="") -> dict:
    """The variables a template sees (documented in planboard/papers/docx/README.md)."""
    fields = {name: "" for name in COVER_FIELDS + SUMMARY_FIELDS}
    fields.update((f.name, f.value) for f in paper.cover + paper.summary)
    glance = paper.glance
    completion = "not measured"
    if glance.completion is not None:
        completion = (
            f"{round(glance.completion * 100)}% ({glance.updated} of {glance.open} open actions)"
        )
    columns = max(len(glance.counts), 1)
    groups, note = _exception_groups(paper)
    return {
        "paper": paper,
        "title": paper.strategy + (f" ({paper.plan_version})" if paper.plan_version else ""),
        "subtitle": _subtitle(paper),
        "basis": _basis(paper),
        "as_of": _date(paper.as_of),
        "footer": f"{paper.strategy} – {_subtitle(paper)}",
        "has_cover": bool(paper.cover),
        "cover": paper.cover,
        "summary": paper.summary,
        "field": fields,
        "framework_ticks": [_tick(t) for t in paper.framework_ticks],
        "purpose_ticks": [_tick(t) for t in paper.purpose_ticks],
        "glance": {
            "completion": completion,
            "overdue": glance.overdue,
            "slipped": glance.slipped,
            "columns": [{"label": c.label, "shade": shade(c.colour)} for c in glance.counts],
            "themes": [
                {"name": f"{t.number}. {t.title}", "counts": [c.count for c in t.counts]}
                for t in glance.by_theme
            ],
            "total": [c.count for c in glance.counts],
            "column_width": int((PORTRAIT_WIDTH - THEME_COLUMN) / EMU_PER_TWIP / columns),
        },
        "chart": chart,
        "exceptions": groups,
        "exceptions_note": note,
        "themes": [_theme(theme) for theme in paper.themes],
        "key": [
            {"label": k.label, "definition": k.definition, "shade": shade(k.colour)}
            for k in paper.key
        ],
        "coverage": [
            {
                "ref": c.ref,
                "text": c.text,
                "served": ", ".join(c.served_by) or "Not served by any action",
                "uncovered": c.uncovered,
                "shade": shade("red" if c.uncovered else "white"),
            }
            for c in paper.coverage
        ],
        "findings": paper.data_findings,
        "delivery_findings": paper.delivery_findings,
    }


def chart_description(paper: Paper) -> str:
    """Alt text for the chart: what it shows, and where the same numbers are in words."""
    counts = ", ".join(f"{c.label} {c.count}" for c in paper.glance.counts)
    return (
        f"Chart of the RAG ratings of the {len(paper.rows)} actions by theme "
        f"(all themes: {counts}). The table below gives the same counts."
    )


def _theme(theme: ThemeSection) -> dict:
    return {
        "number": theme.number,
        "title": theme.title,
        "heading": f"Theme {theme.number}: {theme.title}",
        "commitments": [{"ref": c.name, "text": c.value} for c in theme.commitments],
        "areas": [
            {
                "area": group.area,
                "cited": group.cited,
                "label": (group.area or "No area")
                + (f"\nCommitments {group.cited}" if group.cited else ""),
                "rows": [_row(row) for row in group.rows],
            }
            for group in theme.areas
        ],
    }


def _row(row: Row) -> dict:
    return {
        "ref": row.ref,
        "text": row.text,
        "progress": row.progress,
        "target": row.target,
        "rag": row.rag,
        "rag_text": row.rag if row.in_key else f"{row.rag} (not in key)",
        "shade": shade(row.rag_colour if row.in_key else "grey"),
        "in_key": row.in_key,
        "rated": row.rated,
        "leads": row.leads,
    }


def _tick(tick: Tick) -> dict:
    box = "☑" if tick.ticked else "☐"
    # A no-break space keeps the box on the line of its label.
    text = f"{box}\u00a0{tick.label}"
    return {"label": tick.label, "ticked": tick.ticked, "box": box, "text": text}


def _exception_groups(paper: Paper) -> tuple[list[dict], str]:
    """The exception lists with their titles (``Exceptions.groups``), and the note for
    when ratings cannot be compared with an earlier period."""
    groups = [
        {"title": g.title, "heading": g.heading, "actions": g.items, "empty": g.empty}
        for g in paper.exceptions.groups
    ]
    return groups, paper.exceptions.note


def _subtitle(paper: Paper) -> str:
    return f"Paper for {paper.period}" if paper.period else "Paper"


def _basis(paper: Paper) -> str:
    if paper.closed:
        basis = f"Built from the plan as it stood when {paper.period} closed."
    elif paper.period:
        basis = f"{paper.period} is still open: this paper shows the plan as it stands now."
    else:
        basis = "The plan as it stands now."
    return f"{basis} Overdue as of {_date(paper.as_of)}."


def _date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _clean(value):
    """``value`` (a paper or any part of it) with text Word can hold: line endings as
    newlines, control characters dropped. Parts with nothing to clean are kept as they
    are, so a clean paper costs a walk and no copies."""
    if isinstance(value, str):
        if "\r" in value or _UNWRITABLE.search(value):
            return _UNWRITABLE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
        return value
    if isinstance(value, tuple):
        items = tuple(_clean(item) for item in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for field in dataclasses.fields(value):
            old = getattr(value, field.name)
            new = _clean(old)
            if new is not old:
                changes[field.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value


def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)


class _Chart(InlineImage):
    """The chart PNG, 16 cm wide, with alt text (docxtpl's InlineImage has none)."""

    def __init__(self, document, png: bytes, description: str):
        super().__init__(document, io.BytesIO(png), width=Cm(16))
        self.description = description

    def _insert_image(self):
        alt = html.escape(self.description, quote=True)
        return super()._insert_image().replace("<wp:docPr ", f'<wp:docPr descr="{alt}" ', 1)


def _tidy_tables(body) -> None:
    """Make each table's grid agree with its first row's cell widths (a ``{%tc %}``
    loop changes the number of columns), and put cell properties in schema order
    (docxtpl writes ``{% cellbg %}`` shading first, before the width)."""
    for table in body.iter(qn("w:tbl")):
        grid = table.find(qn("w:tblGrid"))
        first = table.find(qn("w:tr"))
        if grid is None or first is None:
            continue
        widths = [tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}") for tc in first.findall(qn("w:tc"))]
        columns = grid.findall(qn("w:gridCol"))
        spans = first.findall(f"{qn('w:tc')}/{qn('w:tcPr')}/{qn('w:gridSpan')}")
        if spans or len(widths) != len(columns) or any(w is None for w in widths):
            continue
        if all(w.get(qn("w:type")) == "dxa" for w in widths):
            for column, width in zip(columns, widths, strict=True):
                column.set(qn("w:w"), width.get(qn("w:w")))
    for properties in body.iter(qn("w:tcPr")):
        children = list(properties)
        ordered = sorted(children, key=lambda child: _TCPR_ORDER.get(child.tag, 99))
        if ordered != children:
            properties[:] = ordered


def _near(exc) -> str:
    """Where in the document a template error is, from the text docxtpl keeps around it."""
    lines = [" ".join(line.split()) for line in getattr(exc, "docx_context", None) or ()]
    text = " ".join(line for line in lines if line)
    if not text:
        return ""
    return f' near "{text[:60]}…"' if len(text) > 60 else f' near "{text}"'


def _sentence(message: str | None) -> str:
    text = " ".join((message or "unknown error").split())
    return text if text.endswith(".") else f"{text}."


def sample_paper() -> Paper:
    """A small paper using every part of the content, to try uploaded templates with."""

    def row(ref, text, rag, colour, *, area="Events", in_key=True, rated=True, progress=""):
        theme, number = (int(n) for n in ref.split("."))
        cited = "1, 2" if area else ""
        target = "Mar 17" if rated else "No target date"
        return Row(
            ref, theme, number, area, cited, text, progress, target, rag, colour, in_key, rated,
            "Head of SUEMU / EM",
        )  # fmt: skip

    rows = (
        row(
            "1.1",
            "Hold an open event & report <back>.",
            "Green",
            "green",
            progress="Booked.\nDone.",
        ),
        row("1.2", "Map engagement work.", "Yellow", "grey", in_key=False),
        row("2.1", "Review the reward system.", NOT_RATED, "white", area="", rated=False),
    )
    counts = (
        RagCount("Green", "green", 1),
        RagCount("Red", "red", 0),
        RagCount(NOT_IN_KEY, "grey", 1),
        RagCount(NOT_RATED, "white", 1),
    )
    item = Exception_("1.1", "Hold an open event.", "Moved from Mar 17 to Jun 17")
    commitment = Field("1.1", "Commitment 1.1", "We will listen.")
    return Paper(
        strategy="Sample strategy",
        slug="sample",
        organisation="Sample NHS Trust",
        plan_version="v1",
        period="2016/17 Q3",
        closed=True,
        as_of=datetime.date(2016, 12, 31),
        cover=tuple(Field(n, n.capitalize(), f"Sample {n}") for n in COVER_FIELDS),
        framework_ticks=(Tick("HSE", True), Tick("MH Act", False)),
        summary=tuple(Field(n, n.capitalize(), f"Sample {n}") for n in SUMMARY_FIELDS),
        purpose_ticks=(Tick("For approval", False), Tick("To report progress", True)),
        glance=Glance(
            counts=counts,
            by_theme=(ThemeCounts(1, "Culture", counts), ThemeCounts(2, "Reach", counts)),
            updated=2,
            open=3,
            completion=2 / 3,
            overdue=1,
            slipped=1,
        ),
        exceptions=Exceptions(
            rated=(item,),
            rated_labels=("Amber", "Red"),
            overdue=(item,),
            slipped=(item,),
            not_updated=(item,),
            rag_up=(),
            rag_down=(item,),
            baseline="2016/17 Q2",
        ),
        themes=(
            ThemeSection(1, "Culture", (commitment,), (AreaGroup("Events", "1, 2", rows[:2]),)),
            ThemeSection(2, "Reach", (), (AreaGroup("", "", rows[2:]),)),
        ),
        key=(KeyLevel("Green", "On track.", "green"), KeyLevel("Red", "Will not deliver.", "red")),
        coverage=(
            Coverage("1.1", "We will listen.", ("1.1", "1.2")),
            Coverage("1.2", "We will act.", ()),
        ),
        findings=(FindingLine("LEAD_MISSING", "data", "2.1", "Action 2.1 has no lead."),),
    )
