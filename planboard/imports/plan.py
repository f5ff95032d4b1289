"""The plan itself: themes, their numbered commitments, and the rows of their tables.

A theme starts at a line "Theme: X", or at a heading line followed by a numbered list
("1. We will ...") or by a table header. Its table rows are tab-separated; blank lines
inside a theme do not end the table, rows of dashes are rules, and a blank area cell
continues the area above within the same theme (never across themes).

Row length rule: a row must have as many cells as its table has columns. Extra cells are
allowed only when empty (a stray trailing tab). When the paper keeps trailing tabs (some
line ends with one, as Word's copy does), a short row followed by more text is a cell
broken across lines by a line break, and is joined with the lines after it when that
gives exactly the right number of cells. When no line of the paper ends with a tab, an
editor has stripped trailing whitespace, so short rows are padded with empty cells.
Anything else is an error naming the line.
"""

import re
from dataclasses import dataclass, field

from planboard.imports.columns import (
    AREA,
    EXAMPLE_HEADER,
    LEAD,
    PROGRESS,
    RAG,
    TARGET,
    TEXT,
    Columns,
    is_header,
    parse_area,
    read_header,
)
from planboard.imports.dates import parse_target
from planboard.imports.errors import PaperError
from planboard.imports.parsed import ParsedAction, ParsedCommitment, ParsedTheme
from planboard.imports.text import is_separator, one_line, split_cells, strip_html

_THEME_PREFIX = re.compile(r"^\s*theme\s*(?:\d+\s*)?[:.\-–—]\s*(?P<title>\S.*)$", re.IGNORECASE)
_NUMBERED = re.compile(r"^\s*(?P<number>\d{1,3})[.)]\s+(?P<text>\S.*)$")
_BULLET = re.compile(r"^\s*[-•*▪]\s")
MAX_HEADING = 200


@dataclass
class PlanScan:
    """The lines before the first theme (introduction and key) and the themes."""

    preamble: list[tuple[int, str]] = field(default_factory=list)
    themes: list[ParsedTheme] = field(default_factory=list)
    found_header: bool = False


class PlanScanner:
    """One pass over the plan's lines; ``skip`` holds indexes already read (the RAG key)."""

    def __init__(self, lines: list[str], skip: set[int]):
        self.lines = lines
        self.skip = skip
        self.keeps_trailing_tabs = any(line.endswith("\t") for line in lines)
        self.scan = PlanScan()
        self.first_columns: Columns | None = None
        self.columns: Columns | None = None
        self.area: tuple[str, list[int]] = ("", [])

    def run(self, start: int) -> PlanScan:
        index = start
        while index < len(self.lines):
            index = self._read(index)
        return self.scan

    # -- one line at a time -------------------------------------------------------------

    def _read(self, index: int) -> int:
        line = self.lines[index]
        if index in self.skip or not line.strip():
            return index + 1
        if "\t" in line:
            return self._read_row(index)
        theme = self.scan.themes[-1] if self.scan.themes else None
        if theme and theme.commitments and not theme.actions and self._continues(index):
            theme.commitments[-1].text += " " + one_line(line)
            return index + 1
        title = self.theme_title(index)
        if title is not None:
            self._start_theme(title, index)
            return index + 1
        if theme is None:
            self.scan.preamble.append((index, line))
        elif not theme.actions and (match := _NUMBERED.match(line)):
            self._add_commitment(theme, int(match.group("number")), match.group("text"), index)
        elif theme.actions and self._row_follows(index):
            raise self._wrong_length(index, 1)
        return index + 1

    def theme_title(self, index: int) -> str | None:
        """The title of the theme starting at this line, or None when it starts none."""
        line = one_line(self.lines[index])
        if match := _THEME_PREFIX.match(line):
            return match.group("title").strip()
        if len(line) > MAX_HEADING or line.endswith(":") or _NUMBERED.match(line):
            return None
        if _BULLET.match(line):
            return None
        following = self._next_line(index)
        if following is None:
            return None
        text = self.lines[following]
        if "\t" not in text:
            match = _NUMBERED.match(text)
            return line if match and int(match.group("number")) == 1 else None
        return line if is_header(split_cells(text), self.first_columns) else None

    def _start_theme(self, title: str, index: int) -> None:
        number = len(self.scan.themes) + 1
        self.scan.themes.append(ParsedTheme(number=number, title=title, line=index + 1))
        self.area = ("", [])

    def _add_commitment(self, theme: ParsedTheme, number: int, text: str, index: int) -> None:
        if any(commitment.number == number for commitment in theme.commitments):
            raise PaperError(
                f'commitment {number} appears twice in theme {theme.number} "{theme.title}"',
                line=index + 1,
            )
        theme.commitments.append(ParsedCommitment(number, one_line(text), index + 1))

    # -- table rows -------------------------------------------------------------------

    def _read_row(self, index: int) -> int:
        cells = split_cells(self.lines[index])
        if is_separator(cells) or not any(cells):
            return index + 1
        header = read_header(cells, index + 1, self.first_columns)
        if header is not None:
            self.scan.found_header = True
            self.columns = header
            self.first_columns = self.first_columns or header
            return index + 1
        if not self.scan.themes:
            raise PaperError(
                "a table row before any theme: start each theme with a heading line "
                '(for example "Theme: Culture change") above its commitments and table',
                line=index + 1,
            )
        columns = self.columns = self.columns or self.first_columns
        if columns is None:
            raise PaperError(
                f"a table row before any header row: start the plan table with a header "
                f"such as {EXAMPLE_HEADER}",
                line=index + 1,
            )
        cells, after = self._complete_row(cells, index, len(columns.kinds))
        self._add_action(cells, columns, index)
        return after

    def _complete_row(self, cells: list[str], index: int, width: int) -> tuple[list[str], int]:
        """The row's cells fitted to ``width`` under the row length rule, and the next index."""
        if len(cells) > width and not any(cells[width:]):
            return cells[:width], index + 1
        if len(cells) == width:
            return cells, index + 1
        if len(cells) < width and not self.keeps_trailing_tabs:
            return cells + [""] * (width - len(cells)), index + 1
        joined, after = list(cells), index + 1
        while len(joined) < width and after < len(self.lines) and self.lines[after].strip():
            more = split_cells(self.lines[after])
            joined = [*joined[:-1], f"{joined[-1]}\n{more[0]}", *more[1:]]
            after += 1
        if len(joined) == width:
            return joined, after
        raise self._wrong_length(index, len(cells))

    def _wrong_length(self, index: int, count: int) -> PaperError:
        columns = self.columns or self.first_columns
        width = len(columns.kinds) if columns else 0
        described = columns.describe() if columns else ""
        return PaperError(
            f"a table row with {count} cell{'s' if count != 1 else ''} where the table has "
            f"{width} columns ({described}); separate the cells of a row with tabs",
            line=index + 1,
        )

    def _add_action(self, cells: list[str], columns: Columns, index: int) -> None:
        theme = self.scan.themes[-1]

        def cell(kind: str) -> str:
            at = columns.index(kind)
            return cells[at] if at is not None else ""

        if one_line(cell(AREA)):
            try:
                self.area = parse_area(cell(AREA))
            except ValueError as err:
                raise PaperError(str(err), line=index + 1) from None
        text = strip_html(cell(TEXT))
        rest = [one_line(cell(kind)) for kind in (PROGRESS, TARGET, RAG, LEAD)]
        if not text:
            if any(rest):
                raise PaperError(
                    f'the row has no action: its "{columns.names[columns.index(TEXT)]}" cell '
                    "is empty",
                    line=index + 1,
                )
            return  # a row that only names the area for the rows below it
        target_text = one_line(cell(TARGET))
        try:
            target = parse_target(target_text) if target_text else None
        except ValueError as err:
            raise PaperError(f"target date {err}", line=index + 1) from None
        name, cited = self.area
        theme.actions.append(
            ParsedAction(
                number=len(theme.actions) + 1,
                line=index + 1,
                text=text,
                area=name,
                cited_commitments=list(cited),
                progress=strip_html(cell(PROGRESS)),
                target_text=target_text,
                target=target,
                rag_text=one_line(cell(RAG)),
                lead_text=one_line(cell(LEAD)),
            )
        )

    # -- looking around ----------------------------------------------------------------

    def _next_line(self, index: int) -> int | None:
        for following in range(index + 1, len(self.lines)):
            if following not in self.skip and self.lines[following].strip():
                return following
        return None

    def _continues(self, index: int) -> bool:
        """A line straight after a commitment, not numbered itself, wraps that commitment."""
        line = self.lines[index]
        previous = self.lines[index - 1] if index else ""
        return (
            bool(previous.strip())
            and "\t" not in previous
            and not _NUMBERED.match(line)
            and not _THEME_PREFIX.match(line)
        )

    def _row_follows(self, index: int) -> bool:
        """Whether more rows of this table follow, so this line breaks the table."""
        following = self._next_line(index)
        if following is None or "\t" not in self.lines[following]:
            return False
        cells = split_cells(self.lines[following])
        return not is_separator(cells) and not is_header(cells)
