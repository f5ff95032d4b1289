"""Checks on the zipped XML of a workbook or a Word document, before a parser reads it.

The XML parts of a zipped file are refused if they declare entities or a DTD at all,
which Office never writes, so no parser is trusted to defuse them; and a file whose
parts read whole would take too much memory is refused before it is opened. The
readers' own many kinds of failure on a damaged file become one line saying so.
"""

import io
import zipfile
import zlib
from functools import cache

from planboard.imports import safety
from planboard.imports.errors import PaperError

# XML a reader holds in memory whole (python-docx: every part; openpyxl in read-only mode:
# all but the sheets, which it streams) takes about 12 bytes for each byte of the file.
MAX_XML_IN_MEMORY = 40 * 1024 * 1024

# What unpacking a damaged part raises: a bad checksum or header (BadZipFile, ValueError,
# EOFError), bad compressed data (zlib.error), an unknown method (NotImplementedError), a
# password (RuntimeError).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
    RuntimeError,
)
# Pictures and embedded files are never parsed as XML (an SVG picture may have a DOCTYPE).
NOT_PARSED = ("/media/", "/embeddings/")
FORBIDDEN = {
    "<!ENTITY": ("XML entity definitions", "are"),
    "<!DOCTYPE": ("an XML document type declaration", "is"),
}


@cache
def parsers_checked() -> None:
    safety.check_xml_parsers()


def check_xml(data: bytes, source: str, *, streamed: tuple[str, ...]) -> None:
    try:
        _search_xml(data, source, streamed)
    except ZIP_ERRORS as err:
        raise PaperError(f"the zip is damaged ({err})", source=source) from None


def _search_xml(data: bytes, source: str, streamed: tuple[str, ...]) -> None:
    """Refuse any part declaring a DTD or entities (billion laughs, external entities),
    and files whose parts read whole (all but those under ``streamed``) are too large.

    Every part is searched, whatever its name: a hostile file can give its sheet any.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [m for m in archive.infolist() if not any(f in m.filename for f in NOT_PARSED)]
        whole = sum(m.file_size for m in parts if not m.filename.startswith(streamed))
        if whole > MAX_XML_IN_MEMORY:
            raise PaperError(
                f"the file holds {whole / 1024 / 1024:.0f} MB of XML to read at once, more "
                f"than the {MAX_XML_IN_MEMORY // 1024 // 1024} MB allowed",
                source=source,
            )
        for member in parts:
            with archive.open(member) as part:
                found = safety.find_declaration(part, FORBIDDEN)
            if found is not None:
                what, are = FORBIDDEN[found]
                raise PaperError(
                    f"the file contains {what} (in {member.filename}), which {are} not allowed",
                    source=source,
                )


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

    return ZIP_ERRORS + (
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
