"""Hostile and awkward table files, built when a test runs instead of kept as binaries.

Each builder returns the file's bytes; README.md in this folder says what each must give.
"""

import datetime
import io
import struct
import zipfile

import docx
import openpyxl

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)  # an .xls / .doc / encrypted file
SHEET = "xl/worksheets/sheet1.xml"

BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    + "]>"
)
EXTERNAL_ENTITY = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def xlsx(*sheets: tuple[str, list[list]], hidden: tuple[str, ...] = ()) -> bytes:
    """A workbook with a sheet per ``(title, rows)``; an empty list of rows is an empty sheet."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    return _save(workbook)


def xlsx_with_dates_and_formulas() -> bytes:
    """Real dates, a formula whose cached value (41) is not its result (2), a formula
    with no cached value, and a text cell that starts with "=" (a string, not a formula)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Plan"
    sheet.append(["Ref", "Due", "Total", "Note", "Uncached"])
    sheet.append(["1.1", datetime.date(2024, 3, 31), "=1+1", "=SUM(A1:A9)", "=2+2"])
    sheet.append(["1.2", datetime.datetime(2025, 1, 15, 9, 30), 7, 2.5, True])
    sheet["D2"].data_type = "s"
    data = _save(workbook)
    return rewrite(
        data, SHEET, lambda xml: xml.replace(b"<f>1+1</f><v></v>", b"<f>1+1</f><v>41</v>")
    )


def xlsx_with_doctype(doctype: str, reference: str, member: str = SHEET) -> bytes:
    """A valid workbook whose ``member`` declares ``doctype`` and uses ``reference`` in a cell."""
    data = xlsx(("Plan", [["Ref", "Action"], ["1.1", "PLACEHOLDER"]]))

    def inject(xml: bytes) -> bytes:
        xml = xml.replace(b"PLACEHOLDER", reference.encode())
        if xml.startswith(b"<?xml"):
            declaration, _, body = xml.partition(b"?>")
            return declaration + b"?>" + doctype.encode() + body
        return doctype.encode() + xml

    return rewrite(data, member, inject)


def xlsx_with_utf16_doctype() -> bytes:
    """The billion laughs in a sheet saved as UTF-16, which a byte search for ASCII misses."""

    def to_utf16(xml: bytes) -> bytes:
        body = xml.decode("utf-8").replace("<t>1.1</t>", "<t>&lol9;</t>")
        return ('<?xml version="1.0" encoding="UTF-16"?>' + BILLION_LAUGHS + body).encode("utf-16")

    return rewrite(xlsx(("Plan", [["Ref"], ["1.1"]])), SHEET, to_utf16)


def zip_bomb_by_ratio() -> bytes:
    """A workbook whose sheet is 20 MB of zeros packed into a few kilobytes."""
    return rewrite(xlsx(("Plan", [["Ref"]])), SHEET, lambda xml: xml + bytes(20 * 1024 * 1024))


def zip_bomb_by_index(claimed: int = 900 * 1024 * 1024) -> bytes:
    """A workbook whose zip index claims its sheet unpacks to ``claimed`` bytes."""
    data = bytearray(xlsx(("Plan", [["Ref"], ["1.1"]])))
    name = SHEET.encode()
    at = data.index(b"PK\x01\x02")  # the zip index's first entry
    while data[at + 46 : at + 46 + len(name)] != name:
        at = data.index(b"PK\x01\x02", at + 4)
    data[at + 24 : at + 28] = struct.pack("<I", claimed)  # uncompressed size
    return bytes(data)


def zip_with_many_parts(count: int = 2_500) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for n in range(count):
            archive.writestr(f"xl/media/part{n}.xml", "")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("notes.txt", "not an office file")
    return buffer.getvalue()


def docx_table(rows: list[list[str]], *, more_tables: tuple[list[list[str]], ...] = ()):
    """A Word document (python-docx ``Document``) with a paragraph and the tables given."""
    document = docx.Document()
    document.add_paragraph("Action plan")
    for table_rows in (rows, *more_tables):
        table = document.add_table(rows=len(table_rows), cols=max(map(len, table_rows), default=1))
        for r, row in enumerate(table_rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
    return document


def docx_with_merged_areas() -> bytes:
    """Area "Health" merged down rows 2-3 and "Work" down rows 4-5; row 6's action spans
    the Action and Lead columns."""
    document = docx_table(
        [
            ["Area", "Action", "Lead"],
            ["Health", "Run clinics", "Ann"],
            ["", "Hire nurses", "Bob"],
            ["Work", "Open hub", "Cy"],
            ["", "Train staff", "Di"],
            ["Other", "A long action", ""],
        ]
    )
    table = document.tables[0]
    table.cell(1, 0).merge(table.cell(2, 0))
    table.cell(3, 0).merge(table.cell(4, 0))
    table.cell(5, 1).merge(table.cell(5, 2))
    return save_docx(document)


def save_docx(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rewrite(data: bytes, member: str, change) -> bytes:
    """``data`` (a zip) with ``member`` replaced by ``change(its bytes)``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == member:
                content = change(content)
            target.writestr(info.filename, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
