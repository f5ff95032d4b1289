"""How much of a table is read: large but legal files are refused quickly, or read.

Each hostile file is built here (tests/imports/hostile/builders.py), then read by
``read_table_bytes`` and by ``planboard import-table``, and must be refused with one line
naming the file (and the sheet or line) within the limits of ``tests.bounds``: under 2 s
and 300 MB above the baseline, the database unchanged.
"""

import datetime
import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from planboard.imports.errors import PaperError
from planboard.imports.tables import RawRow, RawTable, read_table_bytes
from planboard.imports.tables_sheet import cell_value
from tests.bounds import cost_of, database_fingerprint, refused_within_limits
from tests.imports.hostile import builders

HEADER = builders.inline_row(1, ["Ref", "Action"])
CELLS = "past 1,000,000 cells, counting empty ones"


def refused_message(data: bytes, name: str = "plan.xlsx") -> str:
    cost = refused_within_limits(read_table_bytes, data, name, expect=PaperError)
    message = str(cost.error)
    assert "\n" not in message and message.startswith(name)
    return message


# Workbooks ------------------------------------------------------------------------


def test_a_million_empty_rows_are_refused_quickly_naming_the_sheet():
    assert refused_message(builders.million_empty_rows()) == (
        'plan.xlsx: the sheet "Plan" takes the file past 1,000,000 cells, counting empty ones, '
        "more than a table of actions has; delete the empty rows and columns around the table"
    )


def test_rows_of_formatted_empty_cells_are_refused_quickly():
    assert CELLS in refused_message(builders.rows_of_formatted_empty_cells())


def test_the_budget_is_shared_by_every_sheet_looked_at(settings):
    settings.IMPORT_MAX_CELLS = 3_000
    data = builders.xlsx(("Cover", []), ("Notes", []), ("Plan", [["Ref"]]))
    with_empty_rows = builders.rewrite(data, "xl/worksheets/sheet1.xml", empty_rows_in)
    # The first sheet's empty rows are within the budget; with the second's they are not.
    assert len(read_table_bytes(with_empty_rows, "plan.xlsx").rows) == 1
    twice = builders.rewrite(with_empty_rows, "xl/worksheets/sheet2.xml", empty_rows_in)
    assert 'the sheet "Notes" takes the file past 3,000 cells' in refused_message(twice)


def empty_rows_in(xml: bytes) -> bytes:
    rows = builders.empty_rows(1, 2_000)
    return xml.replace(b"<sheetData></sheetData>", b"<sheetData>" + rows + b"</sheetData>")


def test_a_sheet_of_too_much_xml_is_refused(settings):
    settings.IMPORT_MAX_SHEET_MB = 1
    padding = b"".join(
        b'<row r="%d" spans="1:16" ht="15" customHeight="1"/>' % n for n in range(2, 40_000)
    )
    message = refused_message(builders.xlsx_with_sheet_data(HEADER + padding))
    assert message.startswith('plan.xlsx: the sheet "Plan" takes the file past 1 MB of sheet XML')


def test_one_long_shared_string_in_many_cells_is_refused_at_the_row_it_passes_the_limit():
    """Excel keeps a text once and cells point at it: 200 cells of a 200,000-character
    text are 40 million characters from a file of a few kilobytes."""
    long_text = "Progress noted. " * 12_500
    rows = HEADER + b"".join(
        b'<row r="%d"><c r="A%d" t="s"><v>0</v></c><c r="B%d" t="s"><v>0</v></c></row>' % (n, n, n)
        for n in range(2, 102)
    )
    message = refused_message(builders.xlsx_with_sheet_data(rows, shared=(long_text,)))
    assert message == (
        'plan.xlsx: sheet "Plan", row 51: the file passes 20,000,000 characters of text here, '
        "more than a table of actions has"
    )


def test_empty_rows_cost_little_and_do_not_count_as_rows(settings):
    settings.IMPORT_MAX_ACTIONS = 2  # so 2 * 2 + 20 rows with something in them
    rows = b"".join(
        builders.inline_row(n * 10_000 + 1, ["x"]) + builders.empty_rows(n * 10_000 + 2, 9_999)
        for n in range(23)
    )
    rows += builders.formatted_empty_cells(230_001, 1_000, 30)
    rows += builders.inline_row(231_001, ["x"])

    cost = cost_of(read_table_bytes, builders.xlsx_with_sheet_data(rows), "plan.xlsx")

    assert cost.error is None and cost.within_limits(), cost
    numbers = [row.number for row in cost.result.rows]
    assert len(numbers) == 24 and numbers[-2:] == [220_001, 231_001]


def test_rows_past_twice_the_actions_allowed_and_a_header_block_are_not_read(settings):
    settings.IMPORT_MAX_ACTIONS = 2  # so 2 * 2 + 20 rows with something in them
    rows = b"".join(builders.inline_row(n, ["x"]) for n in range(1, 48, 2))
    rows += builders.empty_rows(48, 10)
    assert len(read_table_bytes(builders.xlsx_with_sheet_data(rows), "plan.xlsx").rows) == 24
    more = rows + builders.inline_row(60, ["x"])
    assert refused_message(builders.xlsx_with_sheet_data(more)) == (
        'plan.xlsx: sheet "Plan", row 60: there are more than 24 rows with something in them; '
        "tables of up to 2 actions can be imported"
    )


def test_a_sheet_without_its_size_is_not_read_to_find_it():
    data = builders.xlsx_with_sheet_data(
        HEADER + builders.inline_row(9, ["1.1", "Do"]), dimension=False
    )
    table = read_table_bytes(data, "plan.xlsx")
    assert [row.number for row in table.rows] == [1, 9]


# What the streamed reader reads, against openpyxl's own reader ---------------------

MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
AWKWARD_ROWS = [
    # shared strings, a number, a float, an exponent, a boolean, an error, a formula's text
    b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>42</v></c><c r="C1"><v>2.5</v></c>'
    b'<c r="D1"><v>1E3</v></c><c r="E1" t="b"><v>1</v></c><c r="F1" t="e"><v>#N/A</v></c>'
    b'<c r="G1" t="str"><f>A1</f><v>Ref</v></c></row>',
    # rich text in runs, a phonetic reading left out, an empty value, a cached formula
    b'<row r="2"><c r="A2" t="inlineStr"><is><r><t>Open </t></r><r><rPr><b/></rPr><t>the hub'
    b'</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></is></c><c r="B2"><v></v></c>'
    b'<c r="C2"><f>1+1</f><v>2</v></c><c r="D2" t="s"><v>1</v></c></row>',
    # cells and rows without "r" follow the one before
    b'<row><c r="B3" t="inlineStr"><is><t>after B</t></is></c><c><v>7</v></c><c r="E3"/>'
    b"<c><v>8</v></c></row>",
    b"<row><c><v>9</v></c></row>",
    # a gap, a row out of order (left out, as openpyxl does), a row number written "9.0"
    b'<row r="8"><c r="A8" t="s"><v>1</v></c></row><row r="6"><c r="A6"><v>1</v></c></row>'
    b'<row r="9.0"><c r="A9" t="d"><v>2024-03-31T00:00:00</v></c></row>',
    # text needing cleaning, spaces kept inside
    b'<row r="10"><c r="B10" t="inlineStr"><is><t xml:space="preserve">  two\r\nlines  </t>'
    b"</is></c></row>",
]


def openpyxl_rows(data: bytes) -> list[tuple]:
    """The rows as openpyxl's read-only reader gives them, made into cells as planboard does."""
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()
    rows = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [cell_value(value) for value in values]
        while cells and cells[-1] == "":
            cells.pop()
        if cells:
            rows.append((number, cells))
    workbook.close()
    width = max(len(cells) for _, cells in rows)
    return [(number, tuple(cells + [""] * (width - len(cells)))) for number, cells in rows]


@pytest.mark.parametrize("upto", range(1, len(AWKWARD_ROWS) + 1))
def test_the_streamed_reader_reads_what_openpyxl_reads(upto):
    data = builders.xlsx_with_sheet_data(b"".join(AWKWARD_ROWS[:upto]), shared=("Ref", "A & B"))
    table = read_table_bytes(data, "plan.xlsx")
    assert [(row.number, row.cells) for row in table.rows] == openpyxl_rows(data)


def test_the_awkward_rows_read_as_planboard_wants_them():
    data = builders.xlsx_with_sheet_data(b"".join(AWKWARD_ROWS), shared=("Ref", "A & B"))
    rows = {row.number: row.cells for row in read_table_bytes(data, "plan.xlsx").rows}
    assert rows[1][:7] == ("Ref", 42, 2.5, 1000.0, "TRUE", "#N/A", "Ref")
    assert rows[2][:4] == ("Open the hub", "", 2, "A & B")
    assert rows[3][:6] == ("", "after B", 7, "", "", 8)
    assert rows[4][0] == 9 and 6 not in rows and rows[8][0] == "A & B"
    assert rows[9][0] == datetime.date(2024, 3, 31)
    assert rows[10][1] == "two\nlines"


def test_a_sheet_whose_namespace_is_written_with_a_prefix_is_read():
    def prefixed(xml: bytes) -> bytes:
        start = xml.index(b"<sheetData")
        end = xml.index(b"</sheetData>") + len(b"</sheetData>")
        data = b'<x:sheetData xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        data += b'<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Ref</x:t></x:is></x:c></x:row>'
        return xml[:start] + data + b"</x:sheetData>" + xml[end:]

    data = builders.rewrite(builders.xlsx(("Plan", [["x"]])), builders.SHEET, prefixed)
    assert read_table_bytes(data, "plan.xlsx").rows == (RawRow(1, ("Ref",)),)


def test_a_kept_table_comes_back_from_json_with_its_types():
    table = RawTable(
        source="plan.xlsx",
        sheet="Plan",
        rows=(
            RawRow(1, ("Ref", "Due", "Score", "Count")),
            RawRow(4, ("1.10", datetime.date(2024, 3, 31), 1e300, 3)),
            RawRow(5, ("", "", 1.1, -0.0)),
        ),
    )
    kept = json.loads(json.dumps(table.as_json()))
    again = RawTable.from_json(kept)
    assert again == table
    assert [type(cell) for cell in again.rows[1].cells] == [str, datetime.date, float, int]


# CSV and Word ---------------------------------------------------------------------


def test_a_csv_file_of_blank_lines_is_refused_naming_the_line():
    data = b"Ref,Action\n" + b"\n" * 5_000_000
    message = refused_message(data, "plan.csv")
    assert message.startswith("plan.csv, line 999999: the file passes 1,000,000 cells here")


def test_a_csv_line_of_millions_of_cells_is_refused_before_it_is_split():
    data = b"Ref,Action\n" + b"," * 5_000_000 + b"\n"
    assert refused_message(data, "plan.csv").startswith("plan.csv, line 2: the file passes")


def test_a_csv_record_over_many_lines_is_charged_as_one(settings):
    settings.IMPORT_MAX_CELLS = 1_000
    data = b"Ref,Action\n" + b"," * 600 + b'"\n"' + b"," * 600 + b"\n"
    assert refused_message(data, "plan.csv").startswith("plan.csv, line 3: the file passes 1,000")


def test_a_word_table_of_many_rows_is_refused(settings):
    settings.IMPORT_MAX_CELLS = 2_000
    document = builders.docx_table([["Ref", "Action"], ["", ""]])
    builders.repeat_last_row(document.tables[0], 1_200)
    message = refused_message(builders.save_docx(document), "plan.docx")
    assert message.startswith("plan.docx: table 1, row ")
    assert "the file passes 2,000 cells here" in message


def test_a_word_document_of_many_tables_is_refused(settings):
    settings.IMPORT_MAX_CELLS = 100
    document = builders.docx_table([["Ref"]], more_tables=tuple([[""]] for _ in range(120)))
    assert refused_message(builders.save_docx(document), "plan.docx") == (
        "plan.docx: the document has more than 100 cells, counting empty ones, more than a "
        "table of actions has; delete the empty rows and columns around the table"
    )


# The command line -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "build", [builders.million_empty_rows, builders.rows_of_formatted_empty_cells]
)
def test_the_command_refuses_a_sheet_of_empty_rows_quickly(build, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(build())
    before = database_fingerprint()

    cost = refused_within_limits(
        call_command, "import_table", str(path), "--strategy", "plan", expect=CommandError
    )

    assert str(cost.error).startswith('plan.xlsx: the sheet "Plan" takes the file past')
    assert database_fingerprint() == before


@pytest.mark.django_db
def test_the_command_refuses_ten_thousand_and_one_actions_naming_the_file(tmp_path):
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(builders.tracker(10_001))
    before = database_fingerprint()

    with pytest.raises(CommandError) as caught:
        call_command("import_table", str(path), "--strategy", "plan")

    assert str(caught.value) == (
        'tracker.xlsx, sheet "Plan", row 10004: the table has more than 10,000 actions, the '
        "most that can be imported"
    )
    assert database_fingerprint() == before


@pytest.mark.django_db
def test_the_limit_counts_actions_not_the_header_title_or_area_rows(tmp_path, settings):
    """Three actions below a title block of two rows, a header and a row naming an area
    are within a limit of three; a fourth action is not."""
    settings.IMPORT_MAX_ACTIONS = 3
    rows = builders.actions_sheet_data(3) + builders.inline_row(7, ["", "Workforce"])
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(builders.xlsx_with_sheet_data(rows))
    out = io.StringIO()

    call_command("import_table", str(path), "--strategy", "plan", stdout=out)

    assert '"created": 3' in out.getvalue()
    more = rows + builders.inline_row(8, ["1.4", "Access", "Action 4", "EM", "", "Green"])
    path.write_bytes(builders.xlsx_with_sheet_data(more))
    before = database_fingerprint()
    with pytest.raises(CommandError) as caught:
        call_command("import_table", str(path), "--strategy", "plan")
    assert str(caught.value) == (
        'tracker.xlsx, sheet "Plan", row 8: the table has more than 3 actions, the most that '
        "can be imported"
    )
    assert database_fingerprint() == before
