"""The paper as one standalone HTML file: its styles and chart inside it, nothing fetched."""

import base64
import re

from planboard.papers.content import build_paper
from planboard.papers.formats import render
from planboard.papers.formats.html import paper_html

DATA_URI = re.compile(r"data:[^\"')\s]*")


def test_the_file_has_the_chart_as_a_data_uri_with_its_alt_text_and_the_table(closed_q3):
    html = render(build_paper(closed_q3.strategy, closed_q3), "html").decode()
    assert html.startswith("<!DOCTYPE html>")
    found = re.search(r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)"', html)
    assert found, "the chart is embedded"
    assert base64.b64decode(found[1]).startswith(b"<?xml")
    assert "The figures for each theme are in the table below." in found[2]
    assert '<caption class="nhsuk-table__caption">RAG ratings by theme</caption>' in html
    assert html.index("<figure") < html.index("RAG ratings by theme</caption>")


def test_the_file_refers_to_nothing_outside_itself(closed_q3):
    html = render(build_paper(closed_q3.strategy, closed_q3), "html").decode()
    outside = DATA_URI.sub("", html)
    assert not re.search(r"https?:", outside)
    assert not re.search(r"url\((?!\s*['\"]?data:)", html)
    assert "<style>" in html and "@media print" in html
    assert "<script" not in html


def test_the_file_has_every_action_with_its_rating(seed_strategy, closed_q3):
    paper = build_paper(seed_strategy, closed_q3)
    html = render(paper, "html").decode()
    assert len(paper.rows) == 49
    for row in paper.rows:
        assert f'<td class="nhsuk-table__cell">{row.ref}</td>' in html
    assert 'nhsuk-tag--green">Green</strong>' in html
    assert 'Yellow</strong> <span class="pb-note pb-nowrap">(not in key)</span>' in html


def test_without_the_chart_there_is_no_figure(closed_q3):
    html = paper_html(build_paper(closed_q3.strategy, closed_q3), chart=False)
    assert "<figure" not in html and "<img" not in html
    assert "RAG ratings by theme</caption>" in html


def test_the_pdf_html_uses_the_compact_stylesheet_not_the_nhs_frontend(closed_q3):
    html = paper_html(build_paper(closed_q3.strategy, closed_q3), for_pdf=True)
    assert "@page" in html
    assert "Frutiger W01" not in html  # the NHS.UK frontend's font
    assert len(html) < 400_000
