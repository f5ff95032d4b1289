"""The seed paper as a PDF a board member would recognise: about the length of the 2017
paper, no near-empty pages, the cover sheet on one page, headings with their content,
the front matter and the key of roles, exceptions with their leads, RAG cells filled,
and the checker's findings only when asked for. Read back with pypdf."""

import dataclasses
import io

import pytest
from django.db import transaction
from pypdf import PdfReader
from pypdf.generic import ContentStream

from planboard.papers.content import build_paper
from planboard.papers.formats import render
from tests.conftest import SEED_PAPER
from tests.papers.test_rag_fills import _fills
from tests.progress.cycle import Q3, governance

#: The 2017 paper with its table ran to about a dozen pages; this one adds the key of
#: roles and people, the exceptions counted per lead and an appendix. It came to 14
#: when its layout was set, and 15 once every page of the plan repeated the key of its
#: leads at its foot. Anything longer has grown pages a board would send back.
MOST_PAGES = 15
#: A page with fewer lines of text than this (its footer included) is near-empty.
FEWEST_LINES = 12


@pytest.fixture(scope="module")
def seed(django_db_setup, django_db_blocker):
    """The seed paper for 2016/17 Q3 (closed), its PDF's pages as text, and their fills."""
    from planboard.imports.services import import_paper
    from planboard.plans.models import Strategy
    from planboard.progress.services import close_period, open_period

    with django_db_blocker.unblock(), transaction.atomic():
        import_paper(SEED_PAPER, slug="sue-board")
        strategy = Strategy.objects.get(slug="sue-board")
        gail = governance("gail-board")
        period = close_period(open_period(strategy, Q3, user=gail), user=gail)
        paper = build_paper(strategy, period)
        data = render(paper, "pdf")
        transaction.set_rollback(True)
    reader = PdfReader(io.BytesIO(data))
    return paper, [page.extract_text() for page in reader.pages], _page_fills(reader)


def _page_fills(reader) -> list[set[tuple[float, ...]]]:
    """The fill colours (``rg``, RGB from 0 to 1, rounded) each page paints with."""
    pages = []
    for page in reader.pages:
        stream = ContentStream(page.get_contents(), reader)
        pages.append(
            {
                tuple(round(float(value), 2) for value in operands)
                for operands, operator in stream.operations
                if operator == b"rg"
            }
        )
    return pages


def _rgb(hex_colour: str) -> tuple[float, ...]:
    value = hex_colour.lstrip("#")
    return tuple(round(int(value[i : i + 2], 16) / 255, 2) for i in (0, 2, 4))


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_seed_paper_is_as_long_as_a_board_paper_with_no_near_empty_page(seed):
    _, pages, _ = seed
    assert len(pages) <= MOST_PAGES
    for number, text in enumerate(pages[:-1], start=1):
        lines = [line for line in text.splitlines() if line.strip()]
        assert len(lines) >= FEWEST_LINES, (number, lines)


def test_the_cover_sheet_and_its_tick_boxes_are_on_the_first_page(seed):
    paper, pages, _ = seed
    # Labels may wrap in their column: compare without spaces.
    first = "".join(pages[0].split())
    for item in (*paper.cover, *paper.framework_ticks):
        assert "".join(item.label.split()) in first, item.label


def test_every_heading_is_on_the_page_of_what_follows_it(seed):
    paper, pages, _ = seed
    flat = [_flat(text) for text in pages]

    def page_of(text):
        return next(i for i, page in enumerate(flat) if text in page)

    for theme in paper.themes:
        # The first thing under a theme's heading: its first commitment, else its table.
        first = theme.commitments[0].value if theme.commitments else theme.rows[0].text
        heading = f"Theme {theme.number}: {theme.title}"
        assert page_of(heading) == page_of(" ".join(first.split()[:6])), heading
        assert page_of(" ".join(theme.rows[0].text.split()[:6])) >= page_of(heading)
    groups = paper.exceptions.board_groups
    assert page_of("Exceptions " + groups[0].heading) == page_of(groups[0].heading)
    assert page_of("Key of roles and people") == page_of(paper.people_key.people[0].line)


def test_the_header_block_front_matter_and_key_of_roles_are_printed(seed):
    paper, pages, _ = seed
    first = _flat(pages[0])
    assert "Trust SHSC" in first
    assert "Meeting Board of Directors" in first
    assert "Reference BoD: 08.03.17" in first
    assert paper.front.title in first
    text = _flat(" ".join(pages))
    assert "the RAG rating should be interpreted with care" in text
    assert "(v2 - January 2017)" in text
    for name in ("Mike Hunter", "Medical Director (MD)", "Mia Bajin", "IT Department (IT)"):
        assert name in text
    assert "EM: Engagement Manager (Laura Di Bona, Mia Bajin)" in text
    assert "Checker findings" not in text


def test_rag_cells_are_painted_in_the_levels_colours(seed):
    paper, pages, fills = seed
    colours = _fills("paper-pdf.css")
    key_page = next(i for i, text in enumerate(pages) if "RAG key" in text)
    for level in paper.key:
        assert _rgb(colours[level.colour]["background-color"]) in fills[key_page], level.label
    first_theme = next(i for i, text in enumerate(pages) if "Theme 1: " in _flat(text))
    plan_fills = set().union(*fills[first_theme:])
    assert _rgb(colours["green"]["background-color"]) in plan_fills
    assert _rgb(colours["unkeyed"]["background-color"]) in plan_fills


def test_exceptions_print_their_leads_and_findings_only_when_asked(
    seed_strategy, closed_q3_with_exceptions
):
    paper = build_paper(seed_strategy, closed_q3_with_exceptions)
    default = _flat(_pdf_text(paper))
    assert "Lead: SUSEG Chairs" in default
    assert "Lead: CI Manager / Head of CG" in default
    assert paper.exceptions.not_updated_heading in default
    assert "Checker findings" not in default
    assert paper.data_findings[0].message not in default

    shown = _flat(_pdf_text(dataclasses.replace(paper, show_findings=True)))
    assert f"Checker findings about the plan's records ({len(paper.data_findings)})" in shown
    assert _flat(paper.data_findings[0].message) in shown


def _pdf_text(paper) -> str:
    reader = PdfReader(io.BytesIO(render(paper, "pdf", chart=False)))
    return " ".join(page.extract_text() for page in reader.pages)


def test_every_page_of_a_themes_table_decodes_the_leads_in_its_footer(seed):
    """A board member on any page of the plan can read what its leads stand for: each
    theme's table repeats its key of leads at the foot of every page it runs over, as
    it repeats its header row at the top."""
    paper, pages, _ = seed
    assert all(theme.lead_key for theme in paper.themes)
    header, key = "Area Ref Action and progress Target RAG Leads", "Leads in this table:"
    flat = [_flat(text) for text in pages]
    # The themes' tables run over more pages than there are themes.
    assert sum(text.count(header) for text in flat) > len(paper.themes)
    for number, text in enumerate(flat, start=1):
        assert text.count(key) == text.count(header), f"page {number}"
    em = paper.people_key.decode("EM")
    assert any(_flat(f"EM: {em.decoded}") in text for text in flat)
