"""Checks made on an uploaded or named file before any parser reads it.

A file is refused, with a one-line ``PaperError`` naming it, when it is larger than
``MAX_FILE_BYTES``; and a zipped file (.xlsx, .docx) when its zip index says it would
unpack to more than ``MAX_UNPACKED_BYTES``, holds more than ``MAX_MEMBERS`` members,
or packs any member more tightly than ``MAX_RATIO`` to one. The index is read without
unpacking anything, so a zip bomb is refused in milliseconds.

XML inside such files is parsed without entity expansion: openpyxl uses defusedxml
(a pinned dependency) when it is installed, and python-docx's parser is built with
``resolve_entities=False``; ``check_xml_parsers`` confirms both, so an upgrade that
changed either is refused instead of silently trusted.
"""

import io
import zipfile
from pathlib import Path

from planboard.imports.errors import PaperError

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 2_000
MAX_RATIO = 200
ZIP_MAGIC = b"PK\x03\x04"


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
    if not data.startswith(ZIP_MAGIC):
        raise PaperError(f"this is not {kind}: it is not a zipped Office file", source=source)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as err:
        raise PaperError(f"this is not {kind}: the zip is damaged ({err})", source=source) from None
    if len(members) > MAX_MEMBERS:
        raise PaperError(
            f"the file holds {len(members)} parts; more than {MAX_MEMBERS} is not {kind}",
            source=source,
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise PaperError(
            f"the file would unpack to {unpacked / 1024 / 1024:.0f} MB, more than the "
            f"{MAX_UNPACKED_BYTES // 1024 // 1024} MB allowed",
            source=source,
        )
    for member in members:
        ratio = member.file_size // max(member.compress_size, 1)
        if member.file_size > 1024 * 1024 and ratio > MAX_RATIO:
            raise PaperError(
                f"the part {member.filename} is packed {ratio} to one, as only a zip bomb is",
                source=source,
            )


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


def find_declaration(part, declarations) -> str | None:
    """The first of ``declarations`` (such as "<!DOCTYPE", "<!ENTITY") that the open zip
    member ``part`` holds, in ASCII or UTF-16, read a megabyte at a time; else None.

    A window of each chunk with the end of the one before finds a declaration split
    across two reads. The readers refuse a file with any: Office never writes them, and
    they are how billion-laughs and external-entity files work.
    """
    patterns = [
        (declaration.encode(encoding), declaration)
        for declaration in declarations
        for encoding in ("ascii", "utf-16-le", "utf-16-be")
    ]
    overlap = max(len(pattern) for pattern, _ in patterns)
    tail = b""
    while chunk := part.read(1024 * 1024):
        window = tail + chunk
        for pattern, declaration in patterns:
            if pattern in window:
                return declaration
        tail = window[-overlap:]
    return None
