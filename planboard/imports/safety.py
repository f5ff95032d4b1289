"""Checks made on an uploaded or named file before any parser reads it.

A file is refused, with a one-line ``PaperError`` naming it, when it is larger than
``MAX_FILE_BYTES``. A zipped file (.xlsx, .docx) is checked by ``planboard.lib.office``,
the one way every Word document and workbook is opened: ``check_zip`` reads its zip
index only (no part is unpacked, so a zip bomb is refused in milliseconds), and
``office.open_office`` checks the parts the readers will parse.

XML inside such files is parsed without entity expansion: openpyxl uses defusedxml
(a pinned dependency) when it is installed, and python-docx's parser is built with
``resolve_entities=False``; ``check_xml_parsers`` confirms both, so an upgrade that
changed either is refused instead of silently trusted.
"""

from pathlib import Path

from planboard.imports.errors import PaperError
from planboard.lib import office

MAX_FILE_BYTES = 20 * 1024 * 1024
ZIP_MAGIC = office.ZIP_MAGIC


def read_limited(path: Path, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes, or a PaperError if it is missing, a folder or over ``limit``."""
    path = Path(path)
    if not path.is_file():
        what = "is a folder, not a file" if path.is_dir() else "does not exist"
        raise PaperError(f"the file {what}", source=path.name)
    try:
        size = path.stat().st_size
        if size > limit:
            raise PaperError(
                f"the file is {size / 1024 / 1024:.1f} MB; files of up to "
                f"{limit // 1024 // 1024} MB can be imported",
                source=path.name,
            )
        return path.read_bytes()
    except OSError as err:
        raise PaperError(f"the file cannot be read ({err.strerror})", source=path.name) from None


def check_zip(data: bytes, source: str, *, kind: str) -> None:
    """Refuse ``data`` unless it is a zip whose index is within the limits.

    ``kind`` names what the file should be ("an Excel workbook (.xlsx)"), for the message.
    """
    try:
        office.check_index(data, kind)
    except office.Refused as refused:
        raise PaperError(refused.message, source=source) from None


def check_xml_parsers() -> None:
    """Raise RuntimeError unless the Office readers parse XML without expanding entities."""
    import openpyxl.xml
    from docx.oxml import parser

    if not openpyxl.xml.DEFUSEDXML:
        raise RuntimeError("openpyxl is not using defusedxml: install the pinned defusedxml")
    from lxml import etree

    probe = b'<!DOCTYPE a [<!ENTITY e "expanded">]><a>&e;</a>'
    if "expanded" in "".join(etree.fromstring(probe, parser.oxml_parser).itertext()):
        raise RuntimeError("python-docx's XML parser expands entities")
