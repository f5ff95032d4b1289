"""The paper as a PDF: every action in it, page numbers, repeated table headers, and
tagged (PDF/UA) in British English so a screen reader can read it. Read back with pypdf.
"""

import io
import re

import pytest
from django.db import transaction
from pypdf import PdfReader

from planboard.papers.content import build_paper
from planboard.papers.formats import render
from planboard.papers.formats.charts import chart_alt
from planboard.papers.formats.pdf import offline_fetcher
from tests.builders import make_large_plan
from tests.conftest import SEED_PAPER
from tests.progress.cycle import Q3, governance


@pytest.fixture(scope="module")
def seed_pdf(django_db_setup, django_db_blocker):
    """The seed paper for 2016/17 Q3 (closed) and its PDF, made once for this file.

    Making the PDF takes a couple of seconds, so the tests share one; the data behind
    it is rolled back afterwards.
    """
    from planboard.imports.services import import_paper
    from planboard.plans.models import Strategy
    from planboard.progress.services import close_period, open_period

    with django_db_blocker.unblock(), transaction.atomic():
        import_paper(SEED_PAPER, slug="sue-pdf")
        strategy = Strategy.objects.get(slug="sue-pdf")
        gail = governance("gail-pdf")
        period = close_period(open_period(strategy, Q3, user=gail), user=gail)
        paper = build_paper(strategy, period)
        data = render(paper, "pdf")
        transaction.set_rollback(True)
    reader = PdfReader(io.BytesIO(data))
    return paper, reader, [_text(page) for page in reader.pages]


def _text(page):
    """The text of ``page`` with every run of whitespace made one space."""
    return " ".join(page.extract_text().split())


def _words(text, count=6):
    return " ".join(text.split()[:count])


def test_every_action_is_in_the_pdf_with_its_ref_and_text(seed_pdf):
    paper, _, pages = seed_pdf
    text = " ".join(pages)
    assert len(paper.rows) == 49
    for row in paper.rows:
        assert re.search(rf"(?<![\d.]){re.escape(row.ref)}(?![\d])", text), row.ref
        assert _words(row.text) in text, row.ref


def test_the_pdf_opens_with_the_cover_sheet_and_numbers_its_pages(seed_pdf):
    _, _, pages = seed_pdf
    count = len(pages)
    assert 10 < count < 60
    assert "Paper for 2016/17 Q3" in pages[0]
    assert "Service User Engagement Strategy Implementation Plan" in pages[0]  # cover title
    assert f"Page 1 of {count}" in pages[0]
    assert f"Page {count} of {count}" in pages[-1]


def test_the_pdf_is_tagged_in_british_english_with_a_title(seed_pdf):
    paper, reader, _ = seed_pdf
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] in (True, "true")
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en-GB"
    assert reader.metadata.title == "Service User Engagement Strategy 2016-2021: 2016/17 Q3"
    kinds, alts = _structure(catalog["/StructTreeRoot"])
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/L", "/LI", "/Figure"} <= kinds
    assert chart_alt(paper) in alts


def test_rag_ratings_are_labelled_in_text_not_colour_alone(seed_pdf):
    _, _, pages = seed_pdf
    text = " ".join(pages)
    for label in ("Green", "Not rated", "Yellow (not in key)"):
        assert label in text
    assert "RAG ratings by theme" in text  # the chart's table, the figures in text


def test_a_theme_table_over_several_pages_repeats_its_header_on_each(db):
    strategy = make_large_plan(slug="one-theme", actions=80, themes=1)
    paper = build_paper(strategy)
    reader = PdfReader(io.BytesIO(render(paper, "pdf", chart=False)))
    texts = [_text(page) for page in reader.pages]
    # Sections follow on without page breaks: the table runs from the page its theme's
    # heading is on to the page the appendix starts on, or the page before when the
    # appendix starts a page.
    start = next(i for i, text in enumerate(texts) if "Theme 1: " in text)
    end = next(i for i, text in enumerate(texts) if "Appendix Commitment coverage" in text)
    plan = texts[start : end if texts[end].startswith("Appendix") else end + 1]
    assert len(plan) >= 3
    for text in plan:
        assert "Area Ref Action and progress Target RAG Leads" in text
    assert "1.1 " in plan[0] and f"{paper.rows[-1].ref} " in plan[-1]


def test_the_pdf_fetches_nothing_from_the_network():
    fetch = offline_fetcher()
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetch("https://assets.nhs.uk/fonts/FrutigerLTW01-55Roman.woff2")
    assert fetch("data:text/plain,hello").read() == b"hello"


def _structure(root):
    """The kinds (``/P``, ``/Table`` ...) of the tag tree's elements, and their alt texts."""
    kinds, alts, stack = set(), set(), [root]
    while stack:
        node = stack.pop()
        if hasattr(node, "get_object"):
            node = node.get_object()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not hasattr(node, "get"):
            continue
        if "/S" in node:
            kinds.add(node["/S"])
        if "/Alt" in node:
            alts.add(str(node["/Alt"]))
        if "/K" in node:
            stack.append(node["/K"])
    return kinds, alts


def test_a_large_paper_is_laid_out_in_a_process_of_its_own_with_the_same_result(db):
    strategy = make_large_plan(slug="own-process", actions=30, themes=2)
    paper = build_paper(strategy)
    here = render(paper, "pdf", chart=False, own_process=False)
    there = render(paper, "pdf", chart=False, own_process=True)
    assert there == here  # the same bytes: same HTML, same fixed identifier
    reader = PdfReader(io.BytesIO(there))
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_a_failed_pdf_process_is_an_error_with_its_last_line(db, monkeypatch):
    from planboard.papers.formats import pdf

    paper = build_paper(make_large_plan(slug="failing", actions=3, themes=1))
    monkeypatch.setattr(pdf.sys, "executable", "/bin/false")
    with pytest.raises(pdf.PdfFailed, match="^The PDF process ended with 1.$"):
        render(paper, "pdf", chart=False, own_process=True)


def test_the_cached_page_references_follow_the_pages_added():
    import pydyf

    from planboard.papers.formats import pdf  # noqa: F401 - installs the cached property

    document = pydyf.PDF()
    for _ in range(3):
        document.add_page(pydyf.Dictionary({"Type": "/Page"}))
    kids = document.pages["Kids"]
    assert document.page_references == tuple(f"{n} 0 R".encode() for n in kids[::3])
    assert document.page_references is document.page_references  # built once
    document.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert len(document.page_references) == 4
    assert document.page_references[-1] == f"{document.pages['Kids'][-3]} 0 R".encode()


def test_pdf_streams_are_compressed_at_level_6_and_read_back():
    import zlib

    import pydyf

    from planboard.papers.formats import pdf  # noqa: F401 - installs the level

    words = "Engagement Manager Laura Di Bona Mia Bajin review SUSEG target moved".split()
    data = " ".join(words[(n * n + 7 * n) % len(words)] + str(n % 97) for n in range(20_000))
    data = data.encode()

    def packed(level):
        packer = zlib.compressobj(level)
        return packer.compress(data) + packer.flush()

    assert packed(6) != packed(9)  # the levels differ on this text
    packer = pydyf.zlib.compressobj(level=9)
    assert packer.compress(data) + packer.flush() == packed(6)
    assert pydyf.zlib.decompress(packed(6)) == data
    stream = pydyf.Stream([data], compress=True)
    assert zlib.decompress(stream.data.split(b"stream\n", 1)[1].rsplit(b"\nendstream")[0]) == data
