"""Read a board paper given as pasted text into plain dataclasses (see ``parsed``).

The paper is read in the order a person reads it: the cover sheet, the summary report,
the plan heading and introduction, the key of roles and people, then the themes with
their commitments and tables, and the RAG key wherever it is. Nothing here is specific
to one trust: sections are found by shape and by keywords, and anything the paper does
not say is left blank rather than guessed.
"""

from planboard.imports import cover as cover_sheet
from planboard.imports.errors import PaperError
from planboard.imports.governance import (
    find_committees,
    is_plan_heading,
    read_organisation,
    read_plan_heading,
    read_strategy,
)
from planboard.imports.key import is_key_line, parse_key
from planboard.imports.leads import LeadResolver
from planboard.imports.parsed import Paper
from planboard.imports.plan import PlanScanner
from planboard.imports.ragkey import find_rag_key
from planboard.imports.text import one_line, paragraphs

NO_TABLE = (
    "reached the end of the paper without finding a plan table: expected a header row "
    "such as Area<TAB>Action<TAB>Target date<TAB>RAG<TAB>Lead followed by tab-separated rows"
)


def parse_paper(text: str, source: str = "paper") -> Paper:
    """The whole paper, or a PaperError naming ``source`` and the line at fault."""
    try:
        return _parse(text, source)
    except PaperError as err:
        raise err.located(source) from None


def _parse(text: str, source: str) -> Paper:
    lines = text.splitlines()
    if not text.strip():
        raise PaperError("the file is empty: paste the board paper's text into it", line=1)
    paper = Paper(source=source)
    paper.rag_levels, skip = find_rag_key(lines)
    scanner = PlanScanner(lines, skip)

    summary_at = _first(lines, 0, lambda i: bool(cover_sheet.SUMMARY_HEADING.match(lines[i])))
    body_from = _after_cover(lines, summary_at)
    plan_at = _find_plan_heading(lines, body_from, skip, scanner)
    if plan_at is not None:
        read_plan_heading(lines[plan_at], paper.strategy)
        plan_from = plan_at + 1
    else:
        plan_from = _start_without_heading(lines, body_from, skip, scanner)
    body_end = plan_at if plan_at is not None else plan_from
    cover_end = summary_at if summary_at is not None else body_end
    cover_sheet.parse_cover_sheet(lines[:cover_end], paper.cover)
    if summary_at is not None:
        cover_sheet.parse_summary_report(lines[summary_at + 1 : body_end], paper.cover)

    scan = scanner.run(plan_from)
    if not scan.found_header or not scan.themes:
        raise PaperError(NO_TABLE, line=len(lines))
    _read_preamble(paper, [line for _, line in scan.preamble])
    paper.themes = scan.themes
    resolver = LeadResolver(paper.roles, paper.people)
    for action in paper.actions:
        action.leads = resolver.resolve(action.lead_text)
    paper.roles = resolver.roles

    read_strategy(text, paper.strategy, paper.cover)
    paper.strategy.organisation = read_organisation(text)
    paper.committees = find_committees(text, paper.cover)
    return paper


def _first(lines: list[str], start: int, test) -> int | None:
    return next((index for index in range(start, len(lines)) if test(index)), None)


def _find_plan_heading(lines, start: int, skip: set[int], scanner: PlanScanner) -> int | None:
    """The plan's heading ("X Strategy - Implementation Plan v2"), if one comes before the
    first theme; summary sections ("4.0 Required Actions") are passed over."""
    for index in range(start, len(lines)):
        line = lines[index]
        if index in skip or "\t" in line or not line.strip():
            continue
        if is_plan_heading(line):
            return index
        if not cover_sheet.SECTION.match(one_line(line)) and scanner.theme_title(index):
            return None
    return None


def _start_without_heading(lines, start: int, skip: set[int], scanner: PlanScanner) -> int:
    """With no plan heading, the plan starts at the key lines just above the first theme."""
    theme_at = _first(
        lines,
        start,
        lambda i: (
            i not in skip
            and "\t" not in lines[i]
            and not cover_sheet.SECTION.match(one_line(lines[i]))
            and scanner.theme_title(i) is not None
        ),
    )
    if theme_at is None:
        return len(lines)
    plan_from = theme_at
    while plan_from > start and (
        plan_from - 1 in skip
        or not lines[plan_from - 1].strip()
        or is_key_line(lines[plan_from - 1])
    ):
        plan_from -= 1
    return plan_from


def _after_cover(lines: list[str], summary_at: int | None) -> int:
    """Where the plan heading may start: after the summary report's heading, or after the
    last row of the cover sheet when there is no summary report."""
    if summary_at is not None:
        return summary_at + 1
    start = 0
    for index, line in enumerate(lines):
        if cover_sheet.is_cover_row(line):
            start = index + 1
        elif "\t" in line:
            break
    return start


def _read_preamble(paper: Paper, lines: list[str]) -> None:
    """Introduction first, then the key: "Mike Hunter, Medical Director (MD)" and the like."""
    first_key = next((at for at, line in enumerate(lines) if is_key_line(line)), len(lines))
    key_lines = [line for line in lines[first_key:] if is_key_line(line)]
    prose = lines[:first_key] + [line for line in lines[first_key:] if not is_key_line(line)]
    paper.strategy.introduction = paragraphs(prose)
    key = parse_key(key_lines)
    paper.roles, paper.people = key.roles, key.people
