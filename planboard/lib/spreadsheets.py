"""Text typed by someone, bound for a spreadsheet, that must stay text.

A spreadsheet may run a cell that begins with = + - @, a tab or a carriage return as a
formula ("CSV injection"). The plan page's downloads, the board paper's workbook and the
public page's CSV all write such text, so the rule lives here once: a CSV cell gets a
single quote in front, and a workbook cell is stored as text with Excel's quote prefix.
"""

# What a spreadsheet may read as the start of a formula (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """``value`` as CSV text; one that a spreadsheet would run as a formula gets a ' first."""
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
