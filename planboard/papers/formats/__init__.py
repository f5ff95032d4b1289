"""The formats a board paper is written in, each from the same ``Paper`` content.

Every format is a module with ``render(paper, **options) -> bytes``. ``render`` here
picks the module by name, so callers (the ``report`` command, the web app's
generation jobs) never import a format directly.
"""

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    extension: str
    content_type: str


FORMATS = {
    f.name: f
    for f in (
        Format("html", "Web page (HTML)", "html", "text/html; charset=utf-8"),
        Format("pdf", "PDF", "pdf", "application/pdf"),
        Format(
            "docx",
            "Word (DOCX)",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        Format(
            "xlsx",
            "Excel (XLSX)",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    )
}


def render(paper, name: str, **options) -> bytes:
    """``paper`` written in the format called ``name`` (one of ``FORMATS``)."""
    if name not in FORMATS:
        raise ValueError(f'Unknown paper format "{name}": use one of {", ".join(FORMATS)}.')
    module = importlib.import_module(f"planboard.papers.formats.{name}")
    return module.render(paper, **options)
