"""Hostile and awkward table files, built when a test runs instead of kept as binaries.

Each builder returns the file's bytes; README.md in this folder says what each must give.
"""

import datetime
import io
import struct
import zipfile
from functools import cache
from xml.sax.saxutils import escape

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


SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)


def xlsx_with_sheet_data(
    sheet_data: bytes, *, shared: tuple[str, ...] = (), dimension: bool = True
) -> bytes:
    """A workbook of one sheet, "Plan", whose ``<sheetData>`` holds ``sheet_data`` as
    written; ``shared`` are its shared strings (where Excel keeps a sheet's text, cells
    of type "s" giving their index). Without ``dimension`` the sheet does not say its
    size, which openpyxl used to find by reading the whole sheet as the workbook opened."""

    def sheet(xml: bytes) -> bytes:
        start, end = xml.index(b"<sheetData"), xml.index(b"</sheetData>") + len(b"</sheetData>")
        xml = xml[:start] + b"<sheetData>" + sheet_data + b"</sheetData>" + xml[end:]
        if not dimension:
            start = xml.index(b"<dimension")
            xml = xml[:start] + xml[xml.index(b"/>", start) + 2 :]
        return xml

    data = rewrite(xlsx(("Plan", [["placeholder"]])), SHEET, sheet)
    if not shared:
        return data
    strings = "".join(f"<si><t>{escape(text)}</t></si>" for text in shared)
    table = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(shared)}" uniqueCount="{len(shared)}">{strings}</sst>'
    )
    override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_STRINGS_TYPE}"/>'
    relationship = (
        '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml" Id="rIdStrings"/>'
    )
    data = rewrite(
        data,
        "xl/_rels/workbook.xml.rels",
        lambda xml: xml.replace(b"</Relationships>", relationship.encode() + b"</Relationships>"),
    )
    data = rewrite(
        data,
        "[Content_Types].xml",
        lambda xml: xml.replace(b"</Types>", override.encode() + b"</Types>"),
    )
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", table)
    return buffer.getvalue()


def inline_row(number: int, cells: list[str]) -> bytes:
    """A sheet row of text cells, as openpyxl writes them (inline strings)."""
    return (
        f'<row r="{number}">'
        + "".join(
            f'<c r="{_letter(at)}{number}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'
            for at, text in enumerate(cells)
            if text
        )
        + "</row>"
    ).encode()


def empty_rows(first: int, count: int) -> bytes:
    """``count`` empty rows from row ``first``, as a sheet formatted far down holds them."""
    return b"".join(b'<row r="%d"/>' % n for n in range(first, first + count))


def formatted_empty_cells(first: int, rows: int, columns: int) -> bytes:
    """Rows of empty cells that have only a style, as formatting a whole range leaves."""
    letters = [_letter(at).encode() for at in range(columns)]
    return b"".join(
        b'<row r="%d">' % n + b"".join(b'<c r="%s%d" s="1"/>' % (c, n) for c in letters) + b"</row>"
        for n in range(first, first + rows)
    )


ACTION_HEADER = ["Ref", "Area", "Action", "Lead", "Target date", "RAG"]


def actions_sheet_data(count: int, *, title_rows: int = 2) -> bytes:
    """A tracker of ``count`` actions below a title block of ``title_rows`` rows and a
    header row, each action in its own theme's numbering (refs 1.1 to 21.500)."""
    rows = [inline_row(n, [f"Action plan, part {n}"]) for n in range(1, title_rows + 1)]
    header = title_rows + 1
    rows.append(inline_row(header, ACTION_HEADER))
    for n in range(count):
        ref = f"{n // 500 + 1}.{n % 500 + 1}"
        cells = [ref, "Access", f"Action {n + 1}", "EM", "March 2026", "Green"]
        rows.append(inline_row(header + 1 + n, cells))
    return b"".join(rows)


@cache
def million_empty_rows() -> bytes:
    """A header, then a million empty rows, in a sheet that does not say its size (built
    once per test process, as each takes a second)."""
    header = inline_row(1, ["Ref", "Action"])
    return xlsx_with_sheet_data(header + empty_rows(2, 1_000_000), dimension=False)


@cache
def rows_of_formatted_empty_cells() -> bytes:
    """A header, then sixty thousand rows of twenty formatted but empty cells."""
    header = inline_row(1, ["Ref", "Action"])
    return xlsx_with_sheet_data(header + formatted_empty_cells(2, 60_000, 20))


@cache
def tracker(actions: int) -> bytes:
    """A workbook of ``actions_sheet_data(actions)``."""
    return xlsx_with_sheet_data(actions_sheet_data(actions))


def _letter(at: int) -> str:
    """The column letters of the column ``at`` places from A."""
    letters = ""
    at += 1
    while at:
        at, left = divmod(at - 1, 26)
        letters = chr(65 + left) + letters
    return letters


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


def repeat_last_row(table, times: int) -> None:
    """Add ``times`` copies of a Word table's last row (python-docx adds rows slowly)."""
    import copy

    last = table._tbl.tr_lst[-1]
    for _ in range(times):
        table._tbl.append(copy.deepcopy(last))


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
