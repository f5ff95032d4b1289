"""Small Word templates for the papers' tests, as a trust might write one."""

import io

from docx import Document


def word_template(*paragraphs: str) -> bytes:
    """A tiny Word template of ``paragraphs``, made with python-docx."""
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
