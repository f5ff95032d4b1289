"""Opening a Word document or an Excel workbook: every .docx and .xlsx planboard reads,
whatever the door (a paper or a table imported on the web or the command line, a
trust's Word template uploaded, a paper written from one), is checked here first, and
its readers open only the ``OfficeFile`` this returns.

A .docx or .xlsx is a zip of XML parts. It is refused, with a one-line ``Refused``, when
- its zip index holds more than ``OFFICE_MAX_PARTS`` parts, declares more than
  ``OFFICE_MAX_UNPACKED_BYTES`` in all, or packs a part more tightly than
  ``OFFICE_MAX_PACKING_RATIO`` to one, as only a zip bomb does: read from the index,
  before anything is unpacked;
- the XML its readers hold in memory whole comes to more than ``OFFICE_MAX_XML_BYTES``
  (a reader takes 9 to 21 bytes of memory for each byte of XML); an Excel sheet is
  streamed by its reader, so does not count;
- any part a reader parses declares a DTD or entities, which Office never writes
  (billion laughs, external entities);
- a part unpacks to more than its index declared (then the index lies).

Which parts a reader parses is not told by their names: python-docx parses a part by the
content type ``[Content_Types].xml`` gives it and follows relationships to any part name,
and openpyxl finds its parts by content type, by relationship and by fixed names. So the
content types and every relationship are read (after their own check), and only a part
in a ``media`` or ``embeddings`` folder whose content type is not XML, and that no
relationship other than a picture's or an embedded file's points at, is left unsearched:
a picture, which no reader parses (an SVG picture may have a DOCTYPE). Every part is
unpacked once, counted as it is, whether it is searched or not.
"""

import io
import posixpath
import zipfile
import zlib
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import unquote

from django.conf import settings

WORD = "a Word document (.docx)"
EXCEL = "an Excel workbook (.xlsx)"
ZIP_MAGIC = b"PK\x03\x04"
MB = 1024 * 1024
CHUNK = MB
CONTENT_TYPES = "[content_types].xml"
NOT_PARSED_FOLDERS = ("/media/", "/embeddings/")
# Relationships to a picture, a sound, a film or an embedded file: no reader parses
# their target as XML.
PICTURE_RELATIONSHIPS = ("/image", "/oleobject", "/package", "/video", "/audio", "/media")
PICTURE_RELATIONSHIPS += ("/hdphoto",)
WORKSHEET_RELATIONSHIP = "/worksheet"
WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
# Parts openpyxl reads whole by name, whatever points at them.
EXCEL_FIXED = {"xl/styles.xml", "xl/workbook.xml", "docprops/core.xml", "docprops/custom.xml"}
EXCEL_FIXED |= {"xl/theme/theme1.xml", "xl/sharedstrings.xml"}
DECLARATIONS = ("<!ENTITY", "<!DOCTYPE")
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


class Refused(ValueError):
    """A file refused: ``message`` is a sentence without its file's name, lower-case, so
    the caller can put the name before it (``plan.xlsx: the file holds ...``)."""

    def __init__(self, message: str):
        self.message = " ".join(message.split())
        super().__init__(self.message)


class Damaged(Refused):
    """A part will not unpack; ``cause`` is what zipfile raised."""

    def __init__(self, cause: Exception):
        self.cause = cause
        super().__init__(f"the zip is damaged ({cause})")


class Declared(Refused):
    """The part ``part`` declares a DTD or entities; ``found`` says which."""

    def __init__(self, part: str, found: frozenset[str]):
        self.part = part
        self.found = found
        if "<!ENTITY" in found:
            what = f"XML entity definitions (in {part}), which are"
        else:
            what = f"an XML document type declaration (in {part}), which is"
        super().__init__(f"the file contains {what} not allowed")


@dataclass(frozen=True)
class OfficeFile:
    """A .docx or .xlsx that passed ``open_office``: its readers open ``stream()``."""

    data: bytes
    kind: str
    xml_parts: tuple[str, ...]

    def stream(self) -> io.BytesIO:
        return io.BytesIO(self.data)


def open_office(data: bytes, kind: str) -> OfficeFile:
    """``data`` checked as ``kind`` (``WORD`` or ``EXCEL``), or ``Refused``."""
    members = check_index(data, kind)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            package = _Package(archive, members)
            xml_parts = package.check_parts(kind)
    except Refused:
        raise
    except ZIP_ERRORS as err:
        raise Damaged(err) from None
    return OfficeFile(data=data, kind=kind, xml_parts=xml_parts)


def check_index(data: bytes, kind: str) -> list[zipfile.ZipInfo]:
    """The zip's members, if it is a zip whose index is within the limits; else ``Refused``.

    ``kind`` names what the file should be ("an Excel workbook (.xlsx)"), for the message.
    """
    if not data.startswith(ZIP_MAGIC):
        raise Refused(f"this is not {kind}: it is not a zipped Office file")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as err:
        raise Refused(f"this is not {kind}: the zip is damaged ({err})") from None
    most = settings.OFFICE_MAX_PARTS
    if len(members) > most:
        raise Refused(f"the file holds {len(members)} parts; more than {most} is not {kind}")
    unpacked = sum(member.file_size for member in members)
    allowed = settings.OFFICE_MAX_UNPACKED_BYTES
    if unpacked > allowed:
        raise Refused(
            f"the file would unpack to {unpacked / MB:.0f} MB, more than the "
            f"{allowed // MB} MB allowed"
        )
    for member in members:
        ratio = member.file_size // max(member.compress_size, 1)
        if member.file_size > MB and ratio > settings.OFFICE_MAX_PACKING_RATIO:
            raise Refused(
                f"the part {member.filename} is packed {ratio} to one, as only a zip bomb is"
            )
    return members


class _Package:
    """The zip's content types and relationships, read as a reader would find them."""

    def __init__(self, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]):
        self.archive = archive
        self.members = members
        self.overrides: dict[str, set[str]] = defaultdict(set)
        self.defaults: dict[str, set[str]] = defaultdict(set)
        self.relationships: dict[str, set[str]] = defaultdict(set)
        self.understood = True
        index = [m for m in members if _is_package_part(m.filename)]
        _check_xml_size(index)
        for member in index:
            _search(archive, member)
        for member in index:
            self._read(member)

    def check_parts(self, kind: str) -> tuple[str, ...]:
        """Count the XML read whole against the limit, then search every parsed part;
        the names of the parts searched."""
        parsed = [m for m in self.members if self.parsed(m.filename)]
        whole = [m for m in parsed if not (kind == EXCEL and self.streamed(m.filename))]
        _check_xml_size(whole)
        searched = {id(m) for m in parsed}
        for member in self.members:
            if _is_package_part(member.filename):
                continue  # searched before it was read
            if id(member) in searched:
                _search(self.archive, member)
            else:
                _unpack(self.archive, member)
        return tuple(m.filename for m in parsed)

    def parsed(self, name: str) -> bool:
        """Whether a reader may parse the part ``name`` as XML."""
        if not self.understood or not any(f in name for f in NOT_PARSED_FOLDERS):
            return True
        key = name.lower()
        if _is_package_part(name) or any(_is_xml(t) for t in self.content_types(key)):
            return True
        return any(not t.endswith(PICTURE_RELATIONSHIPS) for t in self.relationships[key])

    def streamed(self, name: str) -> bool:
        """Whether openpyxl streams the part ``name`` (a worksheet, and nothing else)."""
        key = name.lower()
        types = self.relationships[key]
        return (
            self.understood
            and bool(types)
            and all(t.endswith(WORKSHEET_RELATIONSHIP) for t in types)
            and self.content_types(key, as_read=True) == {WORKSHEET}
            and key not in EXCEL_FIXED
        )

    def content_types(self, key: str, *, as_read: bool = False) -> set[str]:
        """Every content type ``[Content_Types].xml`` gives the part ``key``; with
        ``as_read``, those a reader takes: its overrides, else its extension's default."""
        filename = key.rpartition("/")[2]
        default = self.defaults[filename.rpartition(".")[2] if "." in filename else ""]
        if as_read:
            return set(self.overrides[key]) or set(default)
        return self.overrides[key] | default

    def _read(self, member: zipfile.ZipInfo) -> None:
        from lxml import etree

        name = member.filename
        base = _base(name)
        try:
            events = etree.iterparse(
                _Unpacking(self.archive, member),
                events=("end",),
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
            )
            for _, element in events:
                self._note(name, base, element)
                element.clear()
        except etree.LxmlError:
            self.understood = False  # a reader will fail on it; meanwhile trust nothing

    def _note(self, name: str, base: str, element) -> None:
        tag = element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""
        content_type = (element.get("ContentType") or "").strip().lower()
        if tag == "Override" and name.lower() == CONTENT_TYPES:
            part = (element.get("PartName") or "").lstrip("/").lower()
            self.overrides[part].add(content_type)
            self.overrides[unquote(part)].add(content_type)
        elif tag == "Default" and name.lower() == CONTENT_TYPES:
            self.defaults[(element.get("Extension") or "").lower()].add(content_type)
        elif tag == "Relationship" and element.get("TargetMode") != "External":
            target = element.get("Target") or ""
            kind = (element.get("Type") or "").strip().lower()
            for written in {target, unquote(target)}:
                joined = written if written.startswith("/") else f"/{base}/{written}"
                self.relationships[posixpath.normpath(joined).lstrip("/").lower()].add(kind)


class _Unpacking:
    """A zip member read as zipfile unpacks it, counted: past the size the zip's index
    declares (so past the limits, which were checked on the index), it stops."""

    def __init__(self, archive: zipfile.ZipFile, member: zipfile.ZipInfo):
        self.member = member
        self.part = archive.open(member)
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(CHUNK), b""))
        chunk = self.part.read(min(size, CHUNK))
        self.count += len(chunk)
        if self.count > self.member.file_size:
            self.part.close()
            raise Refused(
                f"the part {self.member.filename} unpacks to more than the "
                f"{self.member.file_size} bytes the zip's index declares"
            )
        if not chunk:
            self.part.close()
        return chunk


def _unpack(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    part = _Unpacking(archive, member)
    while part.read(CHUNK):
        pass


def _search(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Refuse the part if it declares a DTD or entities, in ASCII or UTF-16, read a
    megabyte at a time; a window of each chunk with the end of the one before finds a
    declaration split across two reads."""
    found = find_declarations(_Unpacking(archive, member))
    if found:
        raise Declared(member.filename, found)


def find_declarations(part, declarations=DECLARATIONS) -> frozenset[str]:
    """Those of ``declarations`` in the first window of ``part`` holding any; else none."""
    patterns = [
        (declaration.encode(encoding), declaration)
        for declaration in declarations
        for encoding in ("ascii", "utf-16-le", "utf-16-be")
    ]
    overlap = max(len(pattern) for pattern, _ in patterns)
    tail = b""
    while chunk := part.read(CHUNK):
        window = tail + chunk
        found = frozenset(name for pattern, name in patterns if pattern in window)
        if found:
            return found
        tail = window[-overlap:]
    return frozenset()


def _check_xml_size(members: list[zipfile.ZipInfo]) -> None:
    whole = sum(m.file_size for m in members)
    allowed = settings.OFFICE_MAX_XML_BYTES
    if whole > allowed:
        raise Refused(
            f"the file holds {whole / MB:.0f} MB of XML to read at once, more than the "
            f"{allowed // MB} MB allowed"
        )


def _is_package_part(name: str) -> bool:
    return name.lower() == CONTENT_TYPES or name.lower().endswith(".rels")


def _is_xml(content_type: str) -> bool:
    return content_type.endswith("xml") and not content_type.startswith(
        ("image/", "audio/", "video/")
    )


def _base(rels_name: str) -> str:
    """The folder relationship targets in ``rels_name`` are relative to:
    ``word/_rels/document.xml.rels`` is ``word``'s, ``_rels/.rels`` the package's."""
    folder, _, _ = rels_name.rpartition("/")
    if folder == "_rels" or folder.endswith("/_rels"):
        folder = folder[: -len("_rels")].rstrip("/")
    return folder
