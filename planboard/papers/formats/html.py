"""The paper as one standalone HTML file, and the HTML the PDF is made from.

Both come from the template of the paper page (``papers/body.html``) inside
``papers/standalone.html``, so every format shows the same content. The file carries
everything it needs: its stylesheets inlined and the chart as a ``data:`` URI, so it
reads anywhere, offline, and never fetches a thing.
"""

import base64
import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from planboard.papers.formats import charts, engagement_chart, feedback_chart

#: The stylesheets of the paper page, inlined into the HTML file.
SCREEN_CSS = ("nhsuk/nhsuk-frontend.min.css", "planboard/planboard.css", "planboard/paper.css")
#: A compact stylesheet for the PDF: the NHS.UK frontend is too large for WeasyPrint
#: to apply quickly to a plan of a thousand actions.
PDF_CSS = ("planboard/paper-pdf.css",)
EXTERNAL_URL = re.compile(r"url\((?!\s*['\"]?data:)[^)]*\)", re.IGNORECASE)


def render(paper, *, chart: bool = True, **options) -> bytes:
    """``paper`` as a standalone HTML file (UTF-8)."""
    return paper_html(paper, chart=chart).encode("utf-8")


def paper_html(paper, *, for_pdf: bool = False, chart: bool = True) -> str:
    """The paper's full HTML document, styled for the screen or for the PDF."""
    context = {
        "paper": paper,
        "standalone": True,
        "css": stylesheets(PDF_CSS if for_pdf else SCREEN_CSS),
    }
    if chart:
        context["chart_src"] = chart_data_uri(paper)
        context["chart_alt"] = charts.chart_alt(paper)
        if paper.feedback is not None:
            context["feedback_chart_src"] = feedback_chart_data_uri(paper.feedback)
        if paper.engagement is not None:
            svg = engagement_chart.engagement_chart(paper.engagement, "svg")
            context["engagement_chart_src"] = svg_data_uri(svg)
    return render_to_string("papers/standalone.html", context)


def chart_data_uri(paper) -> str:
    svg = charts.rag_chart(paper, "svg")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def feedback_chart_data_uri(section) -> str:
    svg = feedback_chart.feedback_chart(section, "svg")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def svg_data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def stylesheets(names) -> str:
    """The static files ``names``, joined, safe to put inside a ``<style>`` element.

    Every ``url()`` but a ``data:`` one becomes ``none``, so the file never fetches
    anything: the NHS.UK frontend's web fonts (the text falls back to Arial, as the
    frontend intends) and icons the paper does not use. A declaration left invalid,
    like a web font's ``src``, is ignored by the browser.
    """
    parts = []
    for name in names:
        found = finders.find(name)
        if found:
            text = Path(found).read_text(encoding="utf-8")
            parts.append(EXTERNAL_URL.sub("none", text).replace("</", "<\\/"))
    return "\n".join(parts)
