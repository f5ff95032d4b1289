"""The workbook's "Engagement" sheet, when the strategy has engagement activities: the
quarter's map of directorates by level of involvement, its gaps in words, the
activities at each level per quarter (the chart's figures in the other formats), the
outcomes fed back, participation by perspective and the reward totals. Counts and
amounts are numbers; a figure kept back because fewer than 5 people share it is text
("fewer than 5", "not shown"). Every commitment no activity served is listed at the
end of the sheet."""

from planboard.papers.formats.xlsx_cells import (
    HEADING,
    TABLE_HEADING,
    TEXT,
    TITLE,
    TOTAL,
    WRAPPED,
    fit_to_width,
    set_style,
    set_widths,
    write_number,
    write_table,
    write_text,
)

SHEET = "Engagement"
MONEY = '"£"#,##0.00'
UNSERVED_HEADING = "Commitments served by no activity"


def write_engagement(sheet, section) -> None:
    set_widths(sheet, (34, 12, 12, 12, 14, 14, 14, 16))
    write_text(sheet, 1, 1, section.title, TITLE)
    write_text(sheet, 2, 1, section.intro, TEXT)
    write_text(sheet, 4, 1, section.map_caption, HEADING)
    rows = [(*_numbers(row), row.highest_label) for row in section.directorates]
    styles = [TEXT] * len(section.map_headings)
    end = write_table(sheet, 5, section.map_headings, rows, styles)
    for column in range(1, len(section.map_headings) + 1):
        set_style(sheet.cell(row=6, column=column), TOTAL)
    write_text(sheet, end, 1, section.directorate_gaps, TEXT)
    write_text(sheet, end + 1, 1, section.commitment_gaps, TEXT)
    row = end + 3
    write_text(sheet, row, 1, section.trend_caption, HEADING)
    trend = [_numbers(quarter) for quarter in section.trend]
    row = write_table(sheet, row + 1, section.trend_headings, trend, [TEXT] * 7) + 1
    write_text(sheet, row, 1, "Outcomes fed back", HEADING)
    write_text(sheet, row + 1, 1, section.outcomes_note, TEXT)
    row += 3
    write_text(sheet, row, 1, "Participation by perspective", HEADING)
    if section.perspectives:
        row = write_table(
            sheet, row + 1, section.perspective_headings, section.perspectives, [TEXT] * 2
        )
    else:
        write_text(sheet, row + 1, 1, "No participation was counted.", TEXT)
        row += 2
    row += 1
    write_text(sheet, row, 1, "Reward for involvement", HEADING)
    row = _reward(sheet, row + 1, section)
    write_text(sheet, row, 1, section.small_note, TEXT)
    if section.unserved_listed:
        row += 2
        write_text(sheet, row, 1, UNSERVED_HEADING, HEADING)
        for offset, line in enumerate(section.unserved_listed, start=1):
            write_text(sheet, row + offset, 1, line, WRAPPED)
    fit_to_width(sheet)


def _numbers(row) -> tuple:
    return (row.name, *row.counts, row.activities)


def _reward(sheet, row: int, section) -> int:
    for column, heading in enumerate(section.reward_headings, start=1):
        write_text(sheet, row, column, heading, TABLE_HEADING)
    for line in section.reward:
        row += 1
        write_text(sheet, row, 1, line.label, TEXT)
        if line.people_text == str(line.people):
            write_number(sheet, row, 2, line.people, TEXT)
        else:
            write_text(sheet, row, 2, line.people_text, TEXT)
        if line.amount is None:
            write_text(sheet, row, 3, line.amount_text, TEXT)
        else:
            write_number(sheet, row, 3, line.amount, TEXT).number_format = MONEY
    return row + 1
