"""The board paper's cover sheet and its summary report to a committee.

The cover sheet is a two-column table ("LABEL<TAB>value") under the meeting, date,
reference and item lines. Labels differ between trusts and templates, so each is matched
by keywords, most specific first ("LINKS TO THE NHS CONSTITUTION ... BAF, RISK,
OUTCOMES" is the frameworks row, not the BAF or outcome row). The summary report has
"Label: value" lines, then numbered sections ("1.0 Purpose") known by their titles.
"""

import re

from planboard.imports.dates import parse_day
from planboard.imports.parsed import CoverSheetInfo
from planboard.imports.text import (
    is_tick,
    one_line,
    paragraphs,
    smart_title,
    split_cells,
    split_ticks,
    strip_html,
)

SUMMARY_HEADING = re.compile(r"^\s*summary\s+report\b", re.IGNORECASE)
SECTION = re.compile(
    r"^\s*\d{1,2}(?:\.\d{1,2})?\.?\s+(?P<title>[A-Za-z][A-Za-z &/,'-]{1,60}?)\s*:?$"
)

_COVER_FIELDS = [
    ("frameworks", r"constitution|framework"),
    ("baf_objectives", r"\bbaf\b|board assurance"),
    ("timetable", r"timetable"),
    ("author", r"author"),
    ("designation", r"designation|job title"),
    ("presented_by", r"present"),
    ("action_required", r"action|recommendation"),
    ("outcome", r"outcome"),
    ("title", r"title|subject"),
    ("report_date", r"\bdate\b"),
    ("links_to_reports", r"links|reports|decisions"),
    ("implications", r"implication|financ"),
    ("legal_issues", r"legal"),
]
_SUMMARY_FIELDS = [
    ("report_to", r"^(?:report(?:ing)?\s+)?to$"),
    ("summary_date", r"^(?:meeting\s+)?date"),
    ("subject", r"^(?:subject|title)"),
    ("sponsor", r"sponsor|presented by"),
    ("summary_author", r"^author"),
]
_SECTIONS = [
    ("purpose", r"purpose"),
    ("next_steps", r"next steps"),
    ("required_actions", r"action|recommend|decision"),
    ("monitoring", r"monitor"),
    ("contacts", r"contact"),
    ("summary", r"summary|background|introduction|overview"),
]
_SUMMARY_FIELD_LINE = re.compile(r"^\s*(?P<label>[A-Za-z][A-Za-z ]{1,30}):\s*(?P<value>.*)$")
_ITEM = re.compile(r"^\s*(?:agenda\s+)?item(?:\s+no\.?)?\s*:?\s*(?P<item>\S.*)$", re.IGNORECASE)
_REFERENCE = re.compile(r"^\s*[A-Za-z][A-Za-z .]{1,15}:\s*\S|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b")
_REFERENCE_LABEL = re.compile(r"^\s*ref(?:erence)?\.?\s*:\s*", re.IGNORECASE)
_BAF_NUMBER = re.compile(r"\s+(?=\d+\.\d+\s)")  # "1.1 ... 1.4 ..." one objective a line
_TEXT_FIELDS = {"title", "presented_by", "author", "designation"}


def _field_for(label: str, table: list[tuple[str, str]]) -> str | None:
    words = one_line(label).casefold()
    for name, pattern in table:
        if re.search(pattern, words):
            return name
    return None


def is_cover_row(line: str) -> bool:
    """A "LABEL<TAB>value" row of the cover sheet, with a label we know."""
    return "\t" in line and _field_for(split_cells(line)[0], _COVER_FIELDS) is not None


def parse_cover_sheet(lines: list[str], cover: CoverSheetInfo) -> None:
    """Fill ``cover`` from the lines of the cover sheet (everything before the summary)."""
    current = None
    values: dict[str, list[str]] = {}
    for line in lines:
        if not line.strip():
            continue
        if "\t" in line:
            label, *rest = split_cells(line)
            current = _field_for(label, _COVER_FIELDS)
            if current is not None and current not in values:
                values[current] = ["\t".join(rest)]
                continue
            current = None
        elif current is not None:
            values[current].append(line)
        elif not values:
            _read_masthead(line, cover)
    for name, parts in values.items():
        raw = "\n".join(parts)
        if name == "frameworks":
            free, cover.framework_ticks = split_ticks(raw)
            cover.frameworks = one_line(free)
        elif name == "report_date":
            cover.report_date = parse_day(one_line(raw))
        elif name == "baf_objectives":
            cover.baf_objectives = _BAF_NUMBER.sub("\n", strip_html(raw))
        elif name in _TEXT_FIELDS:
            setattr(cover, name, one_line(raw))
        else:
            setattr(cover, name, strip_html(raw))


def _read_masthead(line: str, cover: CoverSheetInfo) -> None:
    """The lines above the cover table: meeting, its date, the paper's reference and item."""
    text = one_line(line)
    if match := _ITEM.match(text):
        cover.item = cover.item or match.group("item")
    elif cover.meeting_date is None and (day := parse_day(text)) is not None:
        cover.meeting_date = day
    elif not cover.reference and _REFERENCE.search(text):
        cover.reference = _REFERENCE_LABEL.sub("", text)
    elif not cover.meeting:
        cover.meeting = smart_title(text)


def parse_summary_report(lines: list[str], cover: CoverSheetInfo) -> None:
    """Fill ``cover`` from the summary report: its field lines, then its numbered sections."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in lines:
        if match := SECTION.match(one_line(line)):
            current = _field_for(match.group("title"), _SECTIONS)
            if current is not None:
                sections.setdefault(current, [])
            continue
        if current is not None:
            sections[current].append(line)
        elif match := _SUMMARY_FIELD_LINE.match(line):
            name = _field_for(match.group("label"), _SUMMARY_FIELDS)
            value = one_line(match.group("value"))
            if name in ("summary_date",):
                cover.summary_date = parse_day(value)
            elif name is not None and not getattr(cover, name):
                setattr(cover, name, value)
    for name, body in sections.items():
        ticks, body = read_tick_table(body)
        if ticks and not cover.purpose_ticks:
            cover.purpose_ticks = ticks
        setattr(cover, name, paragraphs(body))


def read_tick_table(lines: list[str]) -> tuple[list[dict], list[str]]:
    """A row of labels over a row of ticks ("✓") -> [{"label", "ticked"}], and the other lines."""
    filled = [index for index, line in enumerate(lines) if line.strip()]
    for position, index in enumerate(filled[:-1]):
        labels = [one_line(cell) for cell in split_cells(lines[index])]
        marks = split_cells(lines[filled[position + 1]])
        if "\t" not in lines[index] or "\t" not in lines[filled[position + 1]]:
            continue
        if not all(not one_line(mark) or is_tick(mark) for mark in marks):
            continue
        ticks = [
            {"label": label, "ticked": at < len(marks) and is_tick(marks[at])}
            for at, label in enumerate(labels)
            if label
        ]
        rest = [line for at, line in enumerate(lines) if at not in (index, filled[position + 1])]
        return ticks, rest
    return [], lines
