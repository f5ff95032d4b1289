"""The paper as a PDF, laid out by WeasyPrint from the same HTML as the web paper.

The PDF is tagged to PDF/UA-1, so a screen reader reads headings, lists and tables
(with their header cells) in order, and the chart has its alt text. Its language and
title come from the HTML. Page numbers and the repeated table headers come from the
print stylesheet ``planboard/paper-pdf.css``.

WeasyPrint never fetches anything: the stylesheet is inlined, the chart is a ``data:``
URI, and the URL fetcher refuses every other scheme.
"""

import functools
from importlib.resources import files

import weasyprint
from weasyprint import CSS, HTML, URLFetcher
from weasyprint.css.counters import CounterStyle

from planboard.papers.formats.html import paper_html

VARIANT = "pdf/ua-1"


def render(paper, *, chart: bool = True, **options) -> bytes:
    """``paper`` as a tagged A4 landscape PDF."""
    document = _PaperHTML(
        string=paper_html(paper, for_pdf=True, chart=chart),
        url_fetcher=offline_fetcher(),
    )
    return document.write_pdf(pdf_variant=VARIANT, pdf_identifier=_identifier(paper))


def offline_fetcher() -> URLFetcher:
    """A fetcher for ``data:`` URIs only: anything else fails, and is left out."""
    return URLFetcher(allowed_protocols=("data",))


class _PaperHTML(HTML):
    """WeasyPrint's HTML with a leaner default stylesheet for the paper.

    WeasyPrint's user-agent stylesheet gives every element the ``::marker``,
    footnote and note pseudo-elements, and WeasyPrint computes a full style for each:
    seven styles an element, about a quarter of the memory and a tenth of the time
    a 1,000-action paper takes. The paper has no footnotes or notes, and only list
    items have markers, so those rules are dropped or narrowed to ``li``. If the
    stylesheet or this hook ever changes, WeasyPrint's own stylesheet is used as is.
    """

    def _ua_stylesheets(self, forms=False):
        lean = _lean_ua_stylesheet()
        if lean is None or forms:
            return super()._ua_stylesheets(forms)
        return [lean]


@functools.cache
def _lean_ua_stylesheet():
    try:
        text = (files(weasyprint) / "css" / "html5_ua.css").read_text("utf-8")
    except (ImportError, OSError):
        return None
    lines = [
        line.replace("::marker {", "li::marker {", 1) if line.startswith("::marker {") else line
        for line in text.splitlines()
        if not line.startswith(("::footnote-", "::note-"))
    ]
    # The stylesheet's @counter-style rules are already in WeasyPrint's own counter
    # styles, which the document uses; a throwaway set takes these copies.
    return CSS(string="\n".join(lines), counter_style=CounterStyle())


def _identifier(paper) -> bytes:
    """A file identifier that stays the same each time the same paper is written."""
    return f"{paper.slug}/{paper.period or 'live'}/{paper.as_of.isoformat()}".encode()
