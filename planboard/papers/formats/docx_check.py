"""Checking a trust's Word template before it is used, by rendering a sample paper with it.

A bad template must fail at upload, in the admin, with one line saying why, rather than
in a paper job later; so ``check_template`` renders ``sample_paper``, which uses every
part of the content, and turns whatever goes wrong into a ``TemplateProblem``.

The template is first checked as every Word document planboard opens is
(``planboard.lib.office``: its zip, and XML that fits in memory without a DTD). Its
tags still decide how much work a render is (a loop inside a loop, rows repeated), so
the sample is rendered in a process of its own under ``TEMPLATE_CHECK_MEMORY_MB`` and
``TEMPLATE_CHECK_SECONDS`` (``planboard.lib.bounded``): a template that needs more is
refused, and the web worker that checked it never holds its work.
"""

import datetime
import io
import zipfile

from django.conf import settings
from docx import Document
from jinja2 import TemplateError, TemplateSyntaxError
from lxml import etree

from planboard.lib import bounded, office
from planboard.papers.feedback_section import (
    FeedbackFigures,
    FeedbackSection,
    Highlight,
    QuarterCount,
)
from planboard.papers.formats.docx import render
from planboard.papers.paper import (
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
    FrontMatter,
    Glance,
    KeyLevel,
    KeyPerson,
    KeyRole,
    LeadCount,
    Paper,
    PeopleKey,
    RagCount,
    Row,
    ThemeCounts,
    ThemeSection,
    Tick,
)

ADVICE = "look for a loop inside a loop, or rows repeated many times"


class TemplateProblem(ValueError):
    """A Word template that cannot make a board paper; the message says why in one line."""


def check_template(data: bytes) -> None:
    """Raise ``TemplateProblem`` unless ``data`` is a .docx that renders a sample paper."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise TemplateProblem(
            "This file is not a Word document: save the template from Word as a .docx file."
        )
    try:
        checked = office.open_office(data, office.WORD)
    except office.Refused as refused:
        message = refused.message[:1].upper() + refused.message[1:]
        raise TemplateProblem(_sentence(message)) from None
    memory, seconds = settings.TEMPLATE_CHECK_MEMORY_MB, settings.TEMPLATE_CHECK_SECONDS
    try:
        bounded.run_bounded(try_sample, checked, memory_mb=memory, seconds=seconds)
    except bounded.OverLimit as over:
        if over.limit == "memory":
            needs = f"needs more than {memory} MB of memory"
        else:
            needs = f"takes more than {seconds} seconds"
        raise TemplateProblem(f"The template {needs} to render a sample paper: {ADVICE}.") from None


def try_sample(checked: office.OfficeFile) -> None:
    """Render the sample paper with the template (in a process of its own)."""
    try:
        Document(checked.stream())
    except (KeyError, ValueError, zipfile.BadZipFile, etree.LxmlError) as exc:
        raise TemplateProblem(
            "This file is a zip archive but not a Word document: "
            "save the template from Word as a .docx file."
        ) from exc
    try:
        Document(io.BytesIO(render(sample_paper(), template=checked)))
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
            "Head of SUEMU / EM", ("Head of SUEMU", "EM"), "In progress",
            datetime.date(2017, 3, 31) if rated else None, "Dec 16" if rated else "",
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
    item = Exception_("1.1", "Hold an open event.", "Moved from Mar 17 to Jun 17", "EM")
    commitment = Field("1.1", "Commitment 1.1", "We will listen.")
    em = KeyRole("EM", "Engagement Manager", ("Ann Lee", "Bo Ng"))
    it = KeyRole("IT", "IT Department", ())
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
            not_updated_by_lead=(LeadCount("EM", em.decoded, 1), LeadCount("Finance", "", 1)),
        ),
        themes=(
            ThemeSection(
                1, "Culture", (commitment,), (AreaGroup("Events", "1, 2", rows[:2]),), (em,)
            ),
            ThemeSection(2, "Reach", (), (AreaGroup("", "", rows[2:]),), (em, it)),
        ),
        key=(KeyLevel("Green", "On track.", "green"), KeyLevel("Red", "Will not deliver.", "red")),
        coverage=(
            Coverage("1.1", "We will listen.", ("1.1", "1.2")),
            Coverage("1.2", "We will act.", ()),
        ),
        findings=(FindingLine("LEAD_MISSING", "data", "2.1", "Action 2.1 has no lead."),),
        own_reviews=("1.2",),
        front=FrontMatter(
            organisation="Sample NHS Trust",
            meeting="Board of Directors",
            meeting_date="8 March 2017",
            reference="BoD: 08.03.17",
            item="5",
            title="Sample strategy: progress in 2016/17 Q3",
            plan_title="Sample plan",
            plan_version="v1",
            preface="The RAG rating should be interpreted with care.\nKey people:",
        ),
        people_key=PeopleKey(
            ebe_leads=(KeyPerson("Cy Doe", (), "co-chair"),),
            people=(
                KeyPerson("Ann Lee", ("Engagement Manager (EM)",), ""),
                KeyPerson("Bo Ng", ("Engagement Manager (EM)",), ""),
            ),
            unheld=(it,),
            roles=(em, it),
        ),
        show_findings=True,
        feedback=FeedbackSection(
            quarter="2016/17 Q3",
            figures=(FeedbackFigures("Whole strategy", 3, 2.5, 0.5, 1), FeedbackFigures("Adults")),
            trend=(QuarterCount("2016/17 Q2", 1, 0), QuarterCount("2016/17 Q3", 3, 1)),
            highlights=(Highlight("1 December 2016", "Nobody rang.", "We ring.", ("1.1 Listen",)),),
            published=1,
        ),
    )
