"""The RAG-by-theme chart: SVG and PNG, the same bytes each time, and its alt text."""

import datetime
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own output

from planboard.papers.formats.charts import chart_alt, rag_chart
from planboard.papers.paper import (
    NOT_IN_KEY,
    NOT_RATED,
    Exceptions,
    Glance,
    Paper,
    RagCount,
    ThemeCounts,
)

SVG = "{http://www.w3.org/2000/svg}"
LEVELS = (("Green", "green"), ("Amber", "orange"), ("Red", "red"))


def _counts(green, amber, red, not_in_key=0, not_rated=0):
    values = (green, amber, red, not_in_key, not_rated)
    labels = (*LEVELS, (NOT_IN_KEY, "grey"), (NOT_RATED, "white"))
    return tuple(
        RagCount(label, colour, n) for (label, colour), n in zip(labels, values, strict=True)
    )


def _paper(*themes):
    """A paper with only what the chart reads: RAG counts for each theme."""
    by_theme = tuple(
        ThemeCounts(number, f"Theme number {number}", _counts(*counts))
        for number, counts in enumerate(themes, start=1)
    )
    totals = [sum(t.counts[i].count for t in by_theme) for i in range(5)]
    return Paper(
        strategy="Test strategy",
        slug="test",
        organisation="",
        plan_version="",
        period="",
        closed=False,
        as_of=datetime.date(2017, 3, 31),
        cover=(),
        framework_ticks=(),
        summary=(),
        purpose_ticks=(),
        glance=Glance(_counts(*totals), by_theme, None, None, None, 0, 0),
        exceptions=Exceptions((), (), (), (), (), (), (), ""),
        themes=(),
        key=(),
        coverage=(),
        findings=(),
    )


def _segments(svg: bytes):
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    return [g.get("id") for g in root.iter(f"{SVG}g") if g.get("id", "").startswith("segment-")]


def test_the_svg_has_one_bar_segment_for_each_non_zero_count():
    paper = _paper((5, 2, 0, 1, 7), (0, 0, 3, 0, 0))
    segments = _segments(rag_chart(paper, "svg"))
    assert len(segments) == 5
    assert "segment-2-2" in segments  # theme 2, Red


def test_the_svg_names_the_levels_and_the_themes_as_text():
    svg = rag_chart(_paper((5, 2, 0, 1, 7), (0, 0, 3, 0, 0)), "svg").decode()
    for label in ("Green", "Amber", "Red", "Not in key", "Not rated", "1. Theme number 1"):
        assert f">{label}<" in svg


def test_the_png_is_a_png():
    assert rag_chart(_paper((5, 2, 0, 1, 7)), "png").startswith(b"\x89PNG\r\n\x1a\n")


def test_the_same_paper_gives_the_same_bytes():
    paper = _paper((5, 2, 1, 1, 7), (3, 0, 0, 0, 2))
    assert rag_chart(paper, "svg") == rag_chart(paper, "svg")
    assert rag_chart(paper, "png") == rag_chart(paper, "png")


def test_a_plan_without_actions_or_themes_still_gives_a_chart():
    for paper in (_paper(), _paper((0, 0, 0, 0, 0))):
        svg = rag_chart(paper, "svg")
        assert _segments(svg) == []
        assert b">No actions to chart<" in svg
        assert rag_chart(paper, "png").startswith(b"\x89PNG")


def test_the_alt_text_gives_the_totals_and_points_to_the_table():
    alt = chart_alt(_paper((5, 2, 0, 1, 7), (0, 0, 3, 0, 0)))
    assert "18 actions: 5 Green, 2 Amber, 3 Red, 1 Not in key, 7 Not rated" in alt
    assert "table below" in alt
    assert "table below" in chart_alt(_paper())


def test_the_seed_paper_charts_its_six_themes(seed_strategy):
    from planboard.papers.content import build_paper

    svg = rag_chart(build_paper(seed_strategy), "svg").decode()
    assert svg.count('id="segment-') == 8  # theme 1: three ratings; themes 2 to 6: one each
