"""Reading a table from a CSV file, as people's spreadsheets save it.

CSV is read as UTF-8 (with or without a byte order mark), else as Windows-1252, with
the delimiter that the header line uses most of comma, semicolon and tab (or that
Excel's ``sep=;`` first line names). A cell is always text: the mapper reads the dates
and numbers in it.
"""

import csv
import io

from planboard.imports import progress
from planboard.imports.errors import PaperError
from planboard.imports.tables import Budget, RawTable, clean_text, even_rows

DELIMITERS = ("\t", ";", ",")  # on a tie, the one rarer in text


def read_csv(data: bytes, source: str) -> RawTable:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PaperError(
            "the file is saved as UTF-16 text: save it as CSV UTF-8 (comma delimited)",
            source=source,
        )
    if b"\x00" in data:
        raise PaperError(
            "the file contains NUL bytes, so it is not a text (CSV) file",
            source=source,
            line=data[: data.index(b"\x00")].count(b"\n") + 1,
        )
    text = _decode(data, source)
    head = text.lstrip()[:20].lower()
    if head.startswith(("<html", "<!doctype", "<?xml", "<table")):
        raise PaperError(
            "this is a web page or XML file, not CSV: open it in Excel and save it as .xlsx",
            source=source,
        )
    delimiter, skip = _delimiter(text), 0
    first = text.split("\n", 1)[0].rstrip("\r").lower()
    if first[:4] == "sep=" and first[4:] in DELIMITERS:
        delimiter, skip = first[4:], 1  # Excel's "sep=;" line names the delimiter
    progress.expect(text.count("\n") + (not text.endswith("\n")))
    budget = Budget()
    delimiters = 0  # in the lines of the record being read

    def lines():
        """The text's lines, refused once a record's lines have more delimiters than the
        cells left, before the csv module makes a list of its cells."""
        nonlocal delimiters
        for number, line in enumerate(io.StringIO(text, newline=""), start=1):
            delimiters += line.count(delimiter)
            if delimiters > budget.cells:
                raise PaperError(budget.too_many_cells(), source=source, line=number)
            yield line

    reader = csv.reader(lines(), delimiter=delimiter, strict=True)

    def numbered():
        nonlocal delimiters
        start = 1
        try:
            for record in reader:
                delimiters = 0
                # A blank line counts as one cell.
                spent = budget.spend(cells=1 + len(record), characters=sum(map(len, record)))
                if spent:
                    raise PaperError(spent, source=source, line=start)
                if record and start > skip:
                    yield start, [clean_text(cell) for cell in record]
                start = reader.line_num + 1
        except csv.Error as err:
            raise PaperError(_csv_problem(str(err)), source=source, line=start) from None

    rows = even_rows(
        numbered(), lambda number, message: PaperError(message, source=source, line=number)
    )
    if not rows:
        raise PaperError("the file is empty: it has no rows", source=source)
    return RawTable(source=source, sheet="", rows=rows)


def _decode(data: bytes, source: str) -> str:
    """UTF-8 (with or without a byte order mark), else Windows-1252.

    Text in Windows-1252 with any character outside ASCII is almost never valid UTF-8,
    so trying UTF-8 first tells the two apart.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as err:
        raise PaperError(
            "the file is neither UTF-8 nor Windows-1252 text: save it as CSV UTF-8",
            source=source,
            line=data[: err.start].count(b"\n") + 1,
        ) from None


def _delimiter(text: str) -> str:
    """The delimiter used most in the first record, outside quotes; comma if none is.

    On a tie the one rarer in text wins: a header "Ref;Action, in full" is two columns.
    """
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in text.lstrip("\r\n"):
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in "\r\n":
            break
        elif char in counts:
            counts[char] += 1
    return max(DELIMITERS, key=lambda d: counts[d]) if any(counts.values()) else ","


def _csv_problem(err: str) -> str:
    if "unexpected end of data" in err:
        return 'a quoted cell that starts on this line is never closed: add the closing "'
    if "expected after" in err:
        return (
            "a cell has text after its closing quote: put the whole cell in quotes and "
            'write each " inside it as ""'
        )
    if "field larger than field limit" in err:
        return "a cell is longer than 131,072 characters"
    return f"the line cannot be read as CSV ({err})"
