"""The solid colour every format paints a RAG level in, by its NHS.UK tag colour name.

The chart draws its bars in these, and Word and Excel fill a rating's cell with them,
writing the word in white on the dark ones and in dark text on the light ones (each pair
at 4.5:1 or more). The web page and the PDF have their own in their stylesheets.
"""

SOLID = {
    "green": "007F3B",
    "yellow": "FFEB3B",
    "orange": "ED8B00",
    "red": "D5281B",
    "blue": "005EB8",
    "aqua-green": "00A499",
    "purple": "330072",
    "pink": "AE2573",
    "grey": "AEB7BD",
    "white": "FFFFFF",
}
#: The colours light enough for dark text; white text goes on the others.
LIGHT = frozenset({"yellow", "orange", "aqua-green", "grey", "white"})
WHITE = "FFFFFF"


def solid_fills(dark_ink: str) -> dict[str, tuple[str, str]]:
    """Each colour name's fill and the ink its text is written in (hex, no #)."""
    return {name: (fill, dark_ink if name in LIGHT else WHITE) for name, fill in SOLID.items()}
