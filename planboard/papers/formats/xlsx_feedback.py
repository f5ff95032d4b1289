"""The workbook's "Feedback" sheet, when the strategy has feedback: the quarter's figures
for the whole strategy and each directorate, the items received and changes made per
quarter (the chart's figures in the other formats) and the quarter's published "you
said, we did". Counts, days and shares are numbers (shares shown as percentages); a
figure there is no data for says "no data"."""

from planboard.papers.formats.xlsx_cells import (
    HEADING,
    SUBHEADING,
    TABLE_HEADING,
    TEXT,
    TITLE,
    TOTAL,
    WRAPPED,
    fit_to_width,
    set_widths,
    write_number,
    write_table,
    write_text,
)

SHEET = "Feedback"
PERCENT = "0%"
HIGHLIGHT_HEADINGS = ("Published", "You said", "We did", "Commitments served")


def write_feedback(sheet, section) -> None:
    set_widths(sheet, (24, 44, 44, 40, 14, 18))
    write_text(sheet, 1, 1, section.title, TITLE)
    write_text(sheet, 2, 1, section.intro, TEXT)
    write_text(sheet, 4, 1, f"Feedback figures for {section.quarter}", HEADING)
    for column, heading in enumerate(section.figure_headings, start=1):
        write_text(sheet, 5, column, heading, TABLE_HEADING)
    row = 6
    for index, figures in enumerate(section.figures):
        style = TOTAL if index == 0 else TEXT
        values = (
            figures.received,
            figures.median_days_to_respond,
            figures.share_changed,
            figures.changes_made,
            figures.fft_share_positive,
        )
        write_text(sheet, row, 1, figures.name, style)
        for column, (value, cell) in enumerate(zip(values, figures.cells[1:], strict=True), 2):
            if value is None:
                write_text(sheet, row, column, cell, style)
            else:
                written = write_number(sheet, row, column, value, style)
                if column in (4, 6):
                    written.number_format = PERCENT
        row += 1
    write_text(sheet, row, 1, section.share_note, TEXT)
    row += 2
    write_text(sheet, row, 1, "Feedback items received and changes made per quarter", HEADING)
    trend = [(q.quarter, q.received, q.changes_made) for q in section.trend]
    row = write_table(sheet, row + 1, section.trend_headings, trend, [TEXT] * 3) + 1
    write_text(sheet, row, 1, "You said, we did", SUBHEADING)
    write_text(sheet, row + 1, 1, section.highlights_note, TEXT)
    if section.highlights:
        rows = [
            (h.published, h.you_said, h.we_did, "; ".join(h.commitments) or "None named")
            for h in section.highlights
        ]
        write_table(sheet, row + 2, HIGHLIGHT_HEADINGS, rows, [TEXT, WRAPPED, WRAPPED, WRAPPED])
    fit_to_width(sheet)
