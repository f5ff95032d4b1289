"""Reading tables from CSV, Excel and Word files, hostile files refused with one line.

The hostile files are built by tests/imports/hostile/builders.py; its README.md lists
each one and what it must give.
"""

import csv
import datetime
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planboard.imports import safety
from planboard.imports.errors import PaperError
from planboard.imports.tables import RawRow, read_table, read_table_bytes
from planboard.lib import office
from tests.imports.hostile import builders

HOSTILE = Path(__file__).parent / "hostile"


def cells(table):
    return [row.cells for row in table.rows]


def numbers(table):
    return [row.number for row in table.rows]


def refused(data, name, **kwargs) -> str:
    with pytest.raises(PaperError) as caught:
        read_table_bytes(data, name, **kwargs)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{name}")
    return message


def forbid_office_parsers(monkeypatch):
    """Fail the test if a file reaches openpyxl or python-docx from here on."""
    import docx

    def called(*args, **kwargs):
        pytest.fail("the file reached an Office parser")

    monkeypatch.setattr(openpyxl, "load_workbook", called)
    monkeypatch.setattr(docx, "Document", called)


@pytest.fixture
def no_office_parsers(monkeypatch):
    forbid_office_parsers(monkeypatch)


# CSV ------------------------------------------------------------------------------


def test_it_reads_a_csv_file_by_path_naming_the_file():
    table = read_table(HOSTILE / "utf8-bom.csv")
    assert table.source == "utf8-bom.csv"
    assert table.sheet == ""
    assert cells(table) == [("Ref", "Action", "Lead"), ("1.1", "Open the café", "Ann")]


def test_it_reads_windows_1252_when_the_file_is_not_utf8():
    table = read_table(HOSTILE / "windows-1252.csv")
    assert cells(table)[1] == ("1.1", "Cut costs by £5k – in year one", "£5,000")
    assert cells(table)[2] == ("1.2", "Café hours", "“open”")


def test_it_sniffs_a_semicolon_delimiter_and_keeps_commas_in_cells():
    table = read_table(HOSTILE / "semicolon.csv")
    assert cells(table) == [
        ("Ref", "Action", "Due"),
        ("1.1", "Review, then publish", "31/03/2024"),
        ("1.2", 'Say "hello"; wave', "Q1"),
    ]


def test_it_sniffs_a_tab_delimiter():
    table = read_table_bytes(b"Ref\tAction, in full\n1.1\tOpen, then close\n", "plan.txt")
    assert cells(table) == [("Ref", "Action, in full"), ("1.1", "Open, then close")]


def test_quoted_multi_line_cells_keep_their_lines_and_rows_keep_their_line_numbers():
    table = read_table(HOSTILE / "multiline.csv")
    assert numbers(table) == [1, 2, 7]
    assert cells(table)[1] == ("1.1", "First line\nsecond line\n\nfourth line", "Ann")
    assert cells(table)[2] == ("1.2", "Short", "Bob,\nand Cy")


def test_blank_rows_are_skipped_and_cells_stripped_and_rows_made_as_wide_as_the_widest():
    data = b"Ref, Action ,Lead,,\r\n\r\n , ,\r\n1.1,  Do   it  \r\n1.2,x,y,z,\r\n"
    table = read_table_bytes(data, "plan.csv")
    assert table.rows == (
        RawRow(1, ("Ref", "Action", "Lead", "")),
        RawRow(4, ("1.1", "Do   it", "", "")),
        RawRow(5, ("1.2", "x", "y", "z")),
    )


def test_excels_sep_line_names_the_delimiter_and_keeps_line_numbers():
    table = read_table_bytes(b"sep=;\r\nRef;Action, in full\r\n1.1;a,b\r\n", "plan.csv")
    assert table.rows == (RawRow(2, ("Ref", "Action, in full")), RawRow(3, ("1.1", "a,b")))


def test_an_upload_named_with_a_windows_path_is_named_by_its_file_name():
    table = read_table_bytes(b"Ref\n1.1\n", "C:\\Users\\ann\\plan.csv")
    assert table.source == "plan.csv"


def test_csv_cells_are_always_text():
    table = read_table_bytes(b"Due,Cost\n2024-03-31,12.5\n", "plan.csv")
    assert cells(table)[1] == ("2024-03-31", "12.5")


@pytest.mark.parametrize("data", [b"", b"   \r\n\n", b"\n,,\n , \n"])
def test_an_empty_csv_file_is_refused(data):
    assert "empty" in refused(data, "plan.csv")


def test_a_csv_file_with_a_nul_byte_is_refused_naming_the_line():
    message = refused(b"Ref,Action\n1.1,ok\n1.2,b\x00d\n", "plan.csv")
    assert (
        message == "plan.csv, line 3: the file contains NUL bytes, so it is not a text (CSV) file"
    )


def test_a_utf16_csv_is_refused_with_how_to_save_it():
    assert "CSV UTF-8" in refused("Ref,Action\n".encode("utf-16"), "plan.csv")


def test_an_unclosed_quote_is_refused_naming_the_line_it_opens_on():
    message = refused(b'Ref,Action\n1.1,ok\n1.2,"never closed\n1.3,x\n', "plan.csv")
    assert message.startswith("plan.csv, line 3: a quoted cell")


def test_text_after_a_closing_quote_is_refused_naming_the_line():
    assert refused(b'Ref,Action\n1.1,"quoted" then not\n', "plan.csv").startswith(
        "plan.csv, line 2: a cell has text after its closing quote"
    )


def test_a_web_page_saved_as_csv_is_refused():
    assert "web page" in refused(b"<!DOCTYPE html><html><table>", "plan.csv")


# Wrong type behind the right extension --------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (b"Ref,Action\n1.1,Do\n", "plan.xlsx", "plain text, perhaps a CSV file named .xlsx"),
        (b"Ref,Action\n1.1,Do\n", "plan.docx", "not a Word document (.docx)"),
        (builders.PNG, "plan.csv", "this is a PNG image, not a table"),
        (builders.PDF, "plan.xlsx", "this is a PDF document, not a table"),
        (builders.OLE2, "plan.xlsx", "save it as an Excel Workbook (.xlsx)"),
        (builders.OLE2, "plan.xls", "save it as an Excel Workbook (.xlsx)"),
        (builders.OLE2, "plan.doc", "save it as a Word Document (.docx)"),
        (builders.plain_zip(), "plan.docx", "this is a zip archive, not a Word document"),
        (builders.plain_zip(), "plan.zip", "this is a zip archive, not an Excel workbook"),
        (bytes(64), "plan.xlsx", "not an Excel workbook (.xlsx): it is not a zipped Office"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(data, name, says, no_office_parsers):
    assert says in refused(data, name)


def test_a_workbook_named_csv_is_refused_saying_what_it_is():
    data = builders.xlsx(("Plan", [["Ref"]]))
    assert refused(data, "plan.csv") == (
        "plan.csv: this is an Excel workbook (.xlsx), not a CSV file: rename it to end in .xlsx"
    )


def test_a_word_document_named_xlsx_is_refused():
    data = builders.save_docx(builders.docx_table([["Ref"]]))
    assert "this is a Word document (.docx), not an Excel workbook" in refused(data, "p.xlsx")


def test_without_a_known_extension_the_content_decides():
    workbook = builders.xlsx(("Plan", [["Ref"], ["1.1"]]))
    assert cells(read_table_bytes(workbook, "download")) == [("Ref",), ("1.1",)]
    assert cells(read_table_bytes(b"Ref\n1.1\n", "export.dat")) == [("Ref",), ("1.1",)]


# Limits and XML -------------------------------------------------------------------


def test_an_oversize_upload_is_refused(monkeypatch):
    monkeypatch.setattr(safety, "MAX_FILE_BYTES", 100)
    assert "files of up to" in refused(b"Ref\n" + b"x\n" * 100, "plan.csv")


def test_an_oversize_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(builders.xlsx(("Plan", [["Ref"]])))
    monkeypatch.setattr(safety, "MAX_FILE_BYTES", 100)
    with pytest.raises(PaperError, match="files of up to"):
        read_table(path)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(PaperError, match="missing.csv: the file does not exist"):
        read_table(tmp_path / "missing.csv")


def test_a_zip_bomb_is_refused_from_the_zip_index(no_office_parsers):
    assert "would unpack to 900 MB" in refused(builders.zip_bomb_by_index(), "plan.xlsx")


def test_a_tightly_packed_part_is_refused_as_a_zip_bomb(no_office_parsers):
    assert "as only a zip bomb is" in refused(builders.zip_bomb_by_ratio(), "plan.xlsx")


def test_a_zip_of_thousands_of_parts_is_refused(no_office_parsers):
    assert "parts" in refused(builders.zip_with_many_parts(), "plan.xlsx")


@pytest.mark.parametrize("name", ["plan.xlsx", "plan.docx"])
def test_a_damaged_zip_is_refused(name, no_office_parsers):
    data = builders.xlsx(("Plan", [["Ref"]]))
    assert "this is not" in refused(data[: len(data) // 2], name)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (builders.xlsx(("Plan", [["Ref"], ["Long " * 1000]])), "plan.xlsx"),
        (builders.save_docx(builders.docx_table([["Ref"], ["Long " * 1000]])), "plan.docx"),
    ],
)
def test_a_file_with_too_much_xml_to_hold_in_memory_is_refused(data, name, settings, monkeypatch):
    settings.OFFICE_MAX_XML_BYTES = 1000
    forbid_office_parsers(monkeypatch)
    assert "MB of XML to read at once" in refused(data, name)


def test_a_workbooks_sheets_are_streamed_so_do_not_count_as_xml_held_in_memory(settings):
    rows = [["Ref", "Action"]] + [[f"{n}", "An action " * 20] for n in range(300)]
    data = builders.xlsx(("Plan", rows))
    settings.OFFICE_MAX_XML_BYTES = 20_000
    assert len(read_table_bytes(data, "plan.xlsx").rows) == 301


def test_billion_laughs_is_refused(no_office_parsers):
    data = builders.xlsx_with_doctype(builders.BILLION_LAUGHS, "&lol9;")
    assert refused(data, "plan.xlsx") == (
        "plan.xlsx: the file contains XML entity definitions (in xl/worksheets/sheet1.xml), "
        "which are not allowed"
    )


def test_billion_laughs_in_utf16_xml_is_refused(no_office_parsers):
    assert "entity definitions" in refused(builders.xlsx_with_utf16_doctype(), "plan.xlsx")


def test_an_external_entity_is_refused_and_the_file_it_names_never_read(no_office_parsers):
    data = builders.xlsx_with_doctype(builders.EXTERNAL_ENTITY, "&xxe;", "xl/workbook.xml")
    message = refused(data, "plan.xlsx")
    assert "entity definitions (in xl/workbook.xml)" in message
    assert "root" not in message


def test_entities_in_a_word_document_are_refused(monkeypatch):
    data = builders.save_docx(builders.docx_table([["Ref"], ["PLACEHOLDER"]]))
    data = builders.rewrite(
        data,
        "word/document.xml",
        lambda xml: xml.replace(b"?>", b"?>" + builders.BILLION_LAUGHS.encode(), 1).replace(
            b"PLACEHOLDER", b"&lol9;"
        ),
    )
    forbid_office_parsers(monkeypatch)
    assert "entity definitions (in word/document.xml)" in refused(data, "plan.docx")


def test_entities_in_a_part_with_an_unusual_name_are_refused(no_office_parsers):
    buffer = io.BytesIO(builders.xlsx(("Plan", [["Ref"]])))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/worksheets/sheet9.dat", builders.BILLION_LAUGHS + "<a>&lol9;</a>")
    message = refused(buffer.getvalue(), "plan.xlsx")
    assert "entity definitions (in xl/worksheets/sheet9.dat)" in message


def test_a_picture_with_a_doctype_is_not_refused():
    document = builders.docx_table([["Ref"], ["1.1"]])
    data = builders.save_docx(document)
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("word/media/image1.svg", '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN">')
    assert cells(read_table_bytes(buffer.getvalue(), "plan.docx")) == [("Ref",), ("1.1",)]


def test_a_doctype_without_entities_is_refused(no_office_parsers):
    data = builders.xlsx_with_doctype("<!DOCTYPE worksheet>", "x")
    assert "document type declaration (in xl/worksheets/sheet1.xml), which is not allowed" in (
        refused(data, "plan.xlsx")
    )


def test_openpyxl_refuses_entities_too_when_the_scan_is_bypassed(monkeypatch):
    """Belt and braces: defusedxml's refusal becomes the same one-line error."""
    monkeypatch.setattr(office, "find_declarations", lambda *args, **kwargs: frozenset())
    data = builders.xlsx_with_doctype(builders.BILLION_LAUGHS, "&lol9;")
    assert "entity definitions, which are not allowed" in refused(data, "plan.xlsx")


def test_a_damaged_workbook_part_is_refused_in_one_line():
    data = builders.rewrite(
        builders.xlsx(("Plan", [["Ref"]])), builders.SHEET, lambda xml: xml[: len(xml) // 2]
    )
    assert "the workbook is damaged and cannot be read" in refused(data, "plan.xlsx")


# XLSX -----------------------------------------------------------------------------


def test_a_workbook_gives_dates_numbers_cached_formula_values_and_text():
    table = read_table_bytes(builders.xlsx_with_dates_and_formulas(), "plan.xlsx")
    assert table.sheet == "Plan"
    assert cells(table) == [
        ("Ref", "Due", "Total", "Note", "Uncached"),
        ("1.1", datetime.date(2024, 3, 31), 41, "=SUM(A1:A9)", ""),
        ("1.2", datetime.date(2025, 1, 15), 7, 2.5, "TRUE"),
    ]


def test_the_first_visible_sheet_with_anything_in_it_is_read():
    data = builders.xlsx(
        ("Lookup", [["hidden"]]), ("Cover", []), ("Plan", [["Ref"], ["1.1"]]), hidden=("Lookup",)
    )
    table = read_table_bytes(data, "plan.xlsx")
    assert (table.sheet, cells(table)) == ("Plan", [("Ref",), ("1.1",)])


def test_a_hidden_sheet_is_read_when_no_visible_sheet_has_anything():
    data = builders.xlsx(("Cover", []), ("Lookup", [["Ref"]]), hidden=("Lookup",))
    assert read_table_bytes(data, "plan.xlsx").sheet == "Lookup"


def test_a_sheet_is_chosen_by_name_ignoring_case():
    data = builders.xlsx(("Plan", [["Ref"], ["1.1"]]), ("Done", [["Ref"], ["0.9"]]))
    assert cells(read_table_bytes(data, "plan.xlsx", sheet="done"))[1] == ("0.9",)


def test_a_missing_sheet_is_refused_listing_the_sheets():
    data = builders.xlsx(("Plan", [["Ref"]]), ("Done", [["Ref"]]))
    assert refused(data, "plan.xlsx", sheet="Todo") == (
        'plan.xlsx: the workbook has no sheet "Todo"; its sheets are "Plan", "Done"'
    )


def test_an_empty_sheet_is_refused():
    data = builders.xlsx(("Plan", [["Ref"]]), ("Blank", [[None, "  "]]))
    assert refused(data, "plan.xlsx", sheet="Blank") == 'plan.xlsx: the sheet "Blank" is empty'


def test_an_empty_workbook_is_refused():
    assert "the workbook is empty" in refused(builders.xlsx(("A", []), ("B", [])), "plan.xlsx")


def test_merged_cells_stay_blank_and_rows_keep_their_sheet_numbers():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Area", "Action"])
    sheet.append(["Health", "Run clinics"])
    sheet.append([None, "Hire nurses"])
    sheet.append([])
    sheet.append(["Work", "Open hub", None, None])
    sheet.merge_cells("A2:A3")
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table_bytes(buffer.getvalue(), "plan.xlsx")
    assert numbers(table) == [1, 2, 3, 5]
    assert cells(table)[2] == ("", "Hire nurses")


def test_a_cell_far_to_the_right_is_refused_naming_the_row():
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Ref"
    workbook.active["ZZ7"] = "stray"
    buffer = io.BytesIO()
    workbook.save(buffer)
    message = refused(buffer.getvalue(), "plan.xlsx")
    assert message.startswith('plan.xlsx: sheet "Sheet", row 7: there is something in column')


# DOCX -----------------------------------------------------------------------------


def test_vertically_merged_cells_in_word_give_blanks_below_the_first():
    table = read_table_bytes(builders.docx_with_merged_areas(), "plan.docx")
    assert table.sheet == "table 1"
    assert cells(table) == [
        ("Area", "Action", "Lead"),
        ("Health", "Run clinics", "Ann"),
        ("", "Hire nurses", "Bob"),
        ("Work", "Open hub", "Cy"),
        ("", "Train staff", "Di"),
        ("Other", "A long action", ""),
    ]


def test_paragraphs_in_a_word_cell_are_joined_by_line_breaks():
    document = builders.docx_table([["Ref", "Action"], ["1.1", "First"]])
    document.tables[0].cell(1, 1).add_paragraph("Second")
    table = read_table_bytes(builders.save_docx(document), "plan.docx")
    assert cells(table)[1] == ("1.1", "First\nSecond")


def test_the_word_table_with_most_rows_is_read_unless_one_is_chosen():
    document = builders.docx_table(
        [["Key"], ["G = on track"]],
        more_tables=([["Ref", "Action"], ["1.1", "a"], ["", ""], ["1.2", "b"]],),
    )
    data = builders.save_docx(document)
    table = read_table_bytes(data, "plan.docx")
    assert (table.sheet, numbers(table)) == ("table 2", [1, 2, 4])
    assert cells(read_table_bytes(data, "plan.docx", table=1)) == [("Key",), ("G = on track",)]
    assert refused(data, "plan.docx", table=3) == (
        "plan.docx: the document has 2 tables; there is no table 3"
    )


def test_text_in_content_controls_counts_and_a_nested_table_does_not():
    document = builders.docx_table([["Ref", "Action"], ["1.1", "Outer"]])
    cell = document.tables[0].cell(1, 1)
    cell.add_table(rows=1, cols=1).cell(0, 0).text = "Nested"
    paragraph = cell.paragraphs[0]._p
    sdt = paragraph.makeelement(qn("w:sdt"), {})
    content = sdt.makeelement(qn("w:sdtContent"), {})
    paragraph.addprevious(sdt)
    sdt.append(content)
    content.append(paragraph)
    table = read_table_bytes(builders.save_docx(document), "plan.docx")
    assert cells(table)[1] == ("1.1", "Outer")


def spanning(last: str) -> bytes:
    """A Word table whose second row's middle cell claims to span a billion columns."""
    document = builders.docx_table([["Ref", "Action", "Lead"], ["1.1", "Wide", last]])
    document.tables[0].rows[1]._tr.tc_lst[1].grid_span = 10**9
    return builders.save_docx(document)


def test_a_huge_grid_span_is_read_when_nothing_lies_beyond_it():
    assert cells(read_table_bytes(spanning(""), "plan.docx"))[1] == ("1.1", "Wide", "")


def test_text_beyond_a_huge_grid_span_is_refused_naming_the_row():
    message = refused(spanning("Ann"), "plan.docx")
    assert message.startswith("plan.docx: table 1, row 2: there is something in column 1000000002")


def test_a_word_document_without_tables_is_refused():
    document = builders.docx_table([["x"]])
    document.tables[0]._tbl.getparent().remove(document.tables[0]._tbl)
    assert refused(builders.save_docx(document), "plan.docx") == (
        "plan.docx: the document has no tables"
    )


def test_an_empty_word_table_is_refused():
    data = builders.save_docx(builders.docx_table([["", ""], [" ", ""]]))
    assert refused(data, "plan.docx") == "plan.docx: table 1 of the document is empty"


# Round trips ----------------------------------------------------------------------

# Text a person could type: no control characters but the line break, no surrogates or
# unassigned code points (XML cannot hold U+FFFE).
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")) | st.just("\n"), max_size=30)
NUMBER = st.integers(-(10**12), 10**12) | st.floats(
    -1e12, 1e12, allow_nan=False, allow_infinity=False
)
DATE = st.dates(datetime.date(1901, 1, 1), datetime.date(2199, 12, 31))
CELL = TEXT | NUMBER | DATE
# A header of several columns, as an action table has: the delimiter is sniffed from it.
HEADER = st.lists(st.sampled_from(["Ref", "Action", "Lead", "Due", "RAG"]), min_size=2, max_size=5)


def expected_rows(header, body, normalise):
    """The rows as documented: cells normalised, trailing blanks dropped, blank rows
    left out, every row as wide as the widest."""
    rows = [[normalise(c) for c in row] for row in [header, *body]]
    kept = []
    for number, row in enumerate(rows, start=1):
        while row and row[-1] == "":
            row.pop()
        if row:
            kept.append((number, row))
    width = max(len(row) for _, row in kept)
    return [(number, tuple(row + [""] * (width - len(row)))) for number, row in kept]


def as_csv_text(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def is_utf8(data):
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def as_xlsx_value(value):
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float):
        return float(f"{value:.16g}")  # the precision openpyxl writes (5.0 is written "5")
    return value


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=HEADER,
    body=st.lists(st.lists(CELL, max_size=6), max_size=8),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_csv_reads_back_what_was_written(header, body, delimiter, encoding):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows([header, *body])
    text = buffer.getvalue()
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    if encoding == "cp1252" and is_utf8(data):
        data = text.encode("utf-8")  # such bytes ("Ã©") are read as UTF-8, as documented
    table = read_table_bytes(data, "plan.csv")
    # A line break inside a cell moves the next record down by as many lines.
    lines, line = [], 1
    for row in [header, *body]:
        lines.append(line)
        line += 1 + sum(str(cell).count("\n") for cell in row)
    expected = [
        (lines[number - 1], row) for number, row in expected_rows(header, body, as_csv_text)
    ]
    assert [(row.number, row.cells) for row in table.rows] == expected


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=HEADER, body=st.lists(st.lists(CELL, max_size=6), max_size=8))
def test_xlsx_reads_back_what_was_written(header, body):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Plan"
    for row in [header, *body]:
        sheet.append(row)
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text starting with "=" stays text
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table_bytes(buffer.getvalue(), "plan.xlsx")
    expected = expected_rows(header, body, as_xlsx_value)
    assert [(row.number, row.cells) for row in table.rows] == expected


@settings(max_examples=80, deadline=None)
@given(data=st.binary(max_size=400), name=st.sampled_from(["a.csv", "a.xlsx", "a.docx", "a"]))
def test_arbitrary_bytes_give_a_table_or_a_paper_error(data, name):
    try:
        read_table_bytes(data, name)
    except PaperError as err:
        assert "\n" not in str(err)


WORKBOOK = builders.xlsx(("Plan", [["Ref", "Action"], ["1.1", "Do"]]))
DOCUMENT = builders.docx_with_merged_areas()


def corrupt(data: bytes, places: list[tuple[int, int]]) -> bytes:
    damaged = bytearray(data)
    for at, value in places:
        damaged[at % len(damaged)] = value
    return bytes(damaged)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    original=st.sampled_from([(WORKBOOK, builders.SHEET), (DOCUMENT, "word/document.xml")]),
    inside=st.booleans(),
    places=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=3),
    name=st.sampled_from(["plan.xlsx", "plan.docx", "plan"]),
)
def test_a_corrupted_office_file_gives_a_table_or_a_paper_error(original, inside, places, name):
    """Bytes changed in the zip itself, or in the XML of the sheet or document."""
    data, member = original
    if inside:
        data = builders.rewrite(data, member, lambda xml: corrupt(xml, places))
    else:
        data = corrupt(data, places)
    try:
        read_table_bytes(data, name)
    except PaperError as err:
        assert "\n" not in str(err)
