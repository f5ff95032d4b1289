"""The paper as a PDF, laid out by WeasyPrint from the same HTML as the web paper.

The PDF is tagged to PDF/UA-1, so a screen reader reads headings, lists and tables
(with their header cells) in order, and the chart has its alt text. Its language and
title come from the HTML. Page numbers and the repeated table headers come from the
print stylesheet ``planboard/paper-pdf.css``.

WeasyPrint never fetches anything: the stylesheet is inlined, the chart is a ``data:``
URI, and the URL fetcher refuses every other scheme.

A large paper is laid out in a process of its own (``python -m
planboard.papers.formats.pdf``, given the HTML on its standard input): WeasyPrint
needs a few hundred megabytes for a plan of a thousand actions, and a Python process
keeps memory it has once used, so a web worker that laid one out itself would stay that
size until restarted. The child imports WeasyPrint only, not Django. A small paper is
laid out in the calling process, which is quicker than starting another.
"""

import functools
import gc
import subprocess
import sys
import zlib
from importlib.resources import files

import pydyf
import weasyprint
from weasyprint import CSS, HTML, URLFetcher
from weasyprint.css.counters import CounterStyle

from planboard.lib.collector import fewer_collections

VARIANT = "pdf/ua-1"
#: Papers with at least this many actions are laid out in a process of their own.
OWN_PROCESS_FROM = 200
CHILD_TIMEOUT = 600  # seconds


class PdfFailed(RuntimeError):
    """The process laying the PDF out failed; the message is its last line of error."""


def render(paper, *, chart: bool = True, own_process: bool | None = None, **options) -> bytes:
    """``paper`` as a tagged A4 landscape PDF.

    ``own_process`` chooses where it is laid out; by default a process of its own for a
    paper of ``OWN_PROCESS_FROM`` actions or more.
    """
    from planboard.papers.formats.html import paper_html

    identifier = _identifier(paper)
    if own_process is None:
        own_process = len(paper.rows) >= OWN_PROCESS_FROM
    if not own_process:
        return write_pdf(paper_html(paper, for_pdf=True, chart=chart), identifier)
    # The child starts (and imports WeasyPrint) while this process writes the HTML.
    child = subprocess.Popen(  # noqa: S603 - this module, with the running interpreter
        [sys.executable, "-m", __name__, identifier.decode("utf-8")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        html = paper_html(paper, for_pdf=True, chart=chart)
        out, err = child.communicate(html.encode("utf-8"), timeout=CHILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise PdfFailed(f"Laying the PDF out took more than {CHILD_TIMEOUT} seconds.") from None
    except BaseException:
        child.kill()
        child.communicate()
        raise
    if child.returncode != 0:
        lines = err.decode("utf-8", "replace").strip().splitlines()
        raise PdfFailed(lines[-1] if lines else f"The PDF process ended with {child.returncode}.")
    return out


def write_pdf(html: str, identifier: bytes) -> bytes:
    """The PDF of the paper's ``html``, laid out here."""
    with fewer_collections():  # a fifth of the seed PDF's time went to collections
        document = _PaperHTML(string=html, url_fetcher=offline_fetcher())
        return document.write_pdf(pdf_variant=VARIANT, pdf_identifier=identifier)


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


def _cached_page_references(pdf):
    """``pydyf.PDF.page_references``, built once per page count rather than per call.

    pydyf 0.13 builds the tuple of every page's reference each time it is read, and
    WeasyPrint reads it once per tagged element: for a 150-page paper that is 35,000
    tuples of 150, about a quarter of the time the PDF takes. Pages are only ever
    appended, so the page count tells whether the cached tuple is still right.
    """
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_planboard_page_references")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        pdf.__dict__["_planboard_page_references"] = cached
    return cached[1]


if isinstance(getattr(pydyf.PDF, "page_references", None), property):
    pydyf.PDF.page_references = property(_cached_page_references)


class _Zlib:
    """The ``zlib`` pydyf sees, compressing at level 6 rather than 9.

    pydyf 0.13 compresses every stream at zlib's slowest level: about a tenth of the
    time the seed paper's PDF takes, for a file about 3% smaller than level 6 makes.
    Everything else is zlib's own.
    """

    COMPRESS_LEVEL = 6

    def __getattr__(self, name):
        return getattr(zlib, name)

    def compressobj(self, level=-1, *args, **kwargs):
        return zlib.compressobj(self.COMPRESS_LEVEL, *args, **kwargs)


if getattr(pydyf, "zlib", None) is zlib:
    pydyf.zlib = _Zlib()


def _identifier(paper) -> bytes:
    """A file identifier that stays the same each time the same paper is written."""
    return f"{paper.slug}/{paper.period or 'live'}/{paper.as_of.isoformat()}".encode()


def _main() -> None:
    """The child process: the HTML on standard input, the PDF on standard output.

    Laying out a long paper allocates millions of small objects; the garbage collector's
    default thresholds would scan the young ones every 700 allocations. This process
    lives for one PDF, so it collects far less often (about a tenth less time).
    """
    gc.freeze()
    gc.set_threshold(100_000, 50, 50)
    html = sys.stdin.buffer.read().decode("utf-8")
    sys.stdout.buffer.write(write_pdf(html, sys.argv[1].encode("utf-8")))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    _main()
