"""Opening a workbook or a Word document for its table, through ``planboard.lib.office``.

The file's zip index and the XML parts its reader will parse are checked first (a
zip bomb, too much XML to hold in memory, a DTD or entities, which Office never writes)
and refused with one line naming the file; the readers' own many kinds of failure on a
damaged file become one line saying so.
"""

from functools import cache

from planboard.imports import safety
from planboard.imports.errors import PaperError
from planboard.lib import office


@cache
def parsers_checked() -> None:
    safety.check_xml_parsers()


def open_workbook(data: bytes, source: str) -> office.OfficeFile:
    """The workbook ``data``, checked for openpyxl to open, or a PaperError."""
    return _open(data, source, office.EXCEL)


def open_document(data: bytes, source: str) -> office.OfficeFile:
    """The Word document ``data``, checked for python-docx to open, or a PaperError."""
    return _open(data, source, office.WORD)


def _open(data: bytes, source: str, kind: str) -> office.OfficeFile:
    parsers_checked()
    try:
        return office.open_office(data, kind)
    except office.Refused as refused:
        raise PaperError(refused.message, source=source) from None


def unreadable(kind: str, err: Exception, source: str) -> PaperError:
    from defusedxml import DefusedXmlException

    cause, depth = err, 0
    while cause is not None and depth < 10:  # openpyxl wraps what it caught in a ValueError
        if isinstance(cause, DefusedXmlException):
            return PaperError(
                "the file contains XML entity definitions, which are not allowed", source=source
            )
        cause, depth = cause.__cause__ or cause.__context__, depth + 1
    return PaperError(f"{kind} is damaged and cannot be read ({type(err).__name__})", source=source)


def office_errors() -> tuple[type[Exception], ...]:
    """What the Office readers raise on a damaged file (they raise many kinds)."""
    from docx.exceptions import PythonDocxError
    from docx.opc.exceptions import OpcError
    from docx.oxml.exceptions import XmlchemyError
    from lxml.etree import LxmlError
    from openpyxl.utils.exceptions import InvalidFileException

    return office.ZIP_ERRORS + (
        KeyError,
        TypeError,
        IndexError,
        AttributeError,
        SyntaxError,  # xml.etree's ParseError
        LxmlError,
        InvalidFileException,
        OpcError,
        PythonDocxError,
        XmlchemyError,
    )
