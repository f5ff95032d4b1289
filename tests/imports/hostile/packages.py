"""Hostile Word documents and workbooks built at the level of their zip and package:
parts moved where their names do not say a reader parses them, XML packed tighter than
Office packs it, and a zip whose index lies about a part's size.

Each builder takes a good file's bytes and returns the hostile file's; README.md in this
folder says what each must give. Hundreds of megabytes of XML are written as one
compressed megabyte repeated, so a test builds them in a fraction of a second.
"""

import io
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

from lxml import etree

MB = 1024 * 1024
PARAGRAPH = b"<w:p><w:r><w:t>An action of the plan.</w:t></w:r></w:p>"
LAUGHS = (
    '<!DOCTYPE x [<!ENTITY a "lol">'
    + "".join(f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">' for n in range(8))
    + "]>"
)


@dataclass(frozen=True)
class Entry:
    """A zip member as written: its deflated bytes, and what the index says of it."""

    name: str
    deflated: bytes
    crc: int
    size: int


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def moved(data: bytes, renames: dict[str, str]) -> bytes:
    """``data`` with each part ``old`` of ``renames`` at ``new``: its content type, its
    own relationships and every relationship pointing at it follow it, so the readers
    find it there (targets are written as absolute part names)."""
    renamed = {**renames, **{_rels_of(old): _rels_of(new) for old, new in renames.items()}}
    out = {}
    for name, content in parts(data).items():
        if name.endswith(".rels"):
            content = _retarget(name, content, renames)
        elif name == "[Content_Types].xml":
            for old, new in renames.items():
                content = content.replace(f'"/{old}"'.encode(), f'"/{new}"'.encode())
        out[renamed.get(name, name)] = content
    return zipped(out)


def with_shared_strings(data: bytes) -> bytes:
    """The workbook ``data`` (as openpyxl writes it, its text in its cells) with its text
    in a shared strings part instead, as Excel writes it."""
    contents = parts(data)
    strings: list[bytes] = []

    def shared(match: re.Match) -> bytes:
        strings.append(match.group(2))
        return b'<c r="%s" t="s"><v>%d</v></c>' % (match.group(1), len(strings) - 1)

    sheet = "xl/worksheets/sheet1.xml"
    cell = rb'<c r="([A-Z]+\d+)" t="inlineStr"><is><t>([^<]*)</t></is></c>'
    contents[sheet] = re.sub(cell, shared, contents[sheet])
    items = b"".join(b"<si><t>%s</t></si>" % text for text in strings)
    contents["xl/sharedStrings.xml"] = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">%s</sst>' % items
    )
    contents["[Content_Types].xml"] = contents["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    contents["xl/_rels/workbook.xml.rels"] = contents["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml" Id="rIdStrings"/>'
        b"</Relationships>",
    )
    return zipped(contents)


def with_doctype(data: bytes, part: str, doctype: str = LAUGHS) -> bytes:
    """``data`` with ``doctype`` declared at the top of the XML part ``part``."""
    contents = parts(data)
    xml = contents[part]
    if xml.startswith(b"<?xml"):
        declaration, _, body = xml.partition(b"?>")
        contents[part] = declaration + b"?>" + doctype.encode() + body
    else:
        contents[part] = doctype.encode() + xml
    return zipped(contents)


def padded(data: bytes, part: str, before: bytes, unit: bytes, megabytes: int) -> bytes:
    """``data`` with ``unit`` repeated to ``megabytes`` MB inserted into the XML part
    ``part`` before its first ``before``, and the index telling the truth about it."""
    entries = [_entry(name, content) for name, content in parts(data).items() if name != part]
    xml = parts(data)[part]
    at = xml.index(before)
    entries.append(_repeated(part, xml[:at], unit, megabytes, xml[at:]))
    return raw_zip(entries)


def numbered(data: bytes, part: str, before: bytes, template: str, megabytes: int) -> bytes:
    """``data`` with ``template`` numbered 0, 1, 2 ... to ``megabytes`` MB inserted into
    ``part`` before ``before``: XML that packs no tighter than a real document's."""
    contents = parts(data)
    xml = contents[part]
    at = xml.index(before)
    count = megabytes * MB // len(template.format(10**6))
    filler = "".join(template.format(n) for n in range(count)).encode()
    contents[part] = xml[:at] + filler + xml[at:]
    return zipped(contents)


def lying(data: bytes, part: str, before: bytes, unit: bytes, megabytes: int) -> bytes:
    """``data`` whose ``part`` really unpacks to ``unit`` repeated to ``megabytes`` MB
    inserted before its first ``before``, while the zip's index still declares the size
    and checksum the part had."""
    entries = []
    for name, content in parts(data).items():
        entry = _entry(name, content)
        if name == part:
            at = content.index(before)
            grown = _repeated(name, content[:at], unit, megabytes, content[at:])
            entry = Entry(name, grown.deflated, entry.crc, entry.size)
        entries.append(entry)
    return raw_zip(entries)


def zipped(contents: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in contents.items():
            archive.writestr(name, content)
    return out.getvalue()


def raw_zip(entries: list[Entry]) -> bytes:
    """A zip of ``entries`` written byte by byte, saying of each what the entry says."""
    out, central = bytearray(), bytearray()
    for entry in entries:
        name = entry.name.encode()
        sizes = (entry.crc, len(entry.deflated), entry.size, len(name), 0)
        central += struct.pack("<IHHHHHH", 0x02014B50, 20, 20, 0, 8, 0, 0)
        central += struct.pack("<IIIHHHHHII", *sizes, 0, 0, 0, 0, len(out)) + name
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, *sizes) + name
        out += entry.deflated
    start = len(out)
    out += central
    out += struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), start, 0
    )
    return bytes(out)


def _entry(name: str, content: bytes) -> Entry:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    deflated = compressor.compress(content) + compressor.flush()
    return Entry(name, deflated, zlib.crc32(content), len(content))


def _repeated(name: str, head: bytes, unit: bytes, megabytes: int, tail: bytes) -> Entry:
    """An entry of ``head``, ``unit`` repeated to a megabyte ``megabytes`` times, and
    ``tail``: each piece deflated once and flushed, so its bytes can be repeated."""
    block = unit * max(MB // len(unit), 1)

    def deflate(piece: bytes, end: int) -> bytes:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        return compressor.compress(piece) + compressor.flush(end)

    crc = zlib.crc32(head)
    for _ in range(megabytes):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    deflated = (
        deflate(head, zlib.Z_FULL_FLUSH)
        + deflate(block, zlib.Z_FULL_FLUSH) * megabytes
        + deflate(tail, zlib.Z_FINISH)
    )
    return Entry(name, deflated, crc, len(head) + len(block) * megabytes + len(tail))


def _rels_of(part: str) -> str:
    folder, _, file = part.rpartition("/")
    return f"{folder}/_rels/{file}.rels" if folder else f"_rels/{file}.rels"


def _retarget(rels: str, content: bytes, renames: dict[str, str]) -> bytes:
    folder = rels.rpartition("/")[0]
    base = folder[: -len("_rels")].rstrip("/") if folder.endswith("_rels") else folder
    root = etree.fromstring(content)
    for relationship in root:
        if relationship.get("TargetMode") == "External":
            continue
        target = relationship.get("Target")
        joined = target if target.startswith("/") else f"/{base}/{target}"
        absolute = posixpath.normpath(joined).lstrip("/")
        relationship.set("Target", "/" + renames.get(absolute, absolute))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
