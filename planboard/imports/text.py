"""Plain-text helpers for papers pasted from Word: HTML fragments, bullets, cells and ticks.

Text copied out of Word (or out of a web form built over it) carries stray HTML such as
``<ul>``, ``<i>`` and ``<input type="checkbox"/>``. We keep what a reader sees: block
elements and bullets become line breaks, inline tags disappear, entities are decoded,
and everything else (including "£") is kept as written.
"""

import html
import re

_BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|ul|ol|tr|table|h[1-6])\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_BULLET = re.compile(r"\s*[•▪●◦]\s*")
_DASHES = re.compile(r"\s*[–—]\s*")
_SEPARATOR_CELL = re.compile(r"^[-=_–—\s]*$")
_TICK_BOX = re.compile(r"<input\b[^>]*>|[☐☒☑✓✔]", re.IGNORECASE)
_CHECKED = re.compile(r"\bchecked\b|[☒☑✓✔]", re.IGNORECASE)
TICK_MARKS = {"✓", "✔", "☒", "☑", "x", "yes", "y"}
SMALL_WORDS = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}


def strip_html(text: str) -> str:
    """The text a reader sees: one line per paragraph, list item or bullet."""
    text = _BLOCK_TAG.sub("\n", text or "")
    text = _ANY_TAG.sub("", text)
    text = html.unescape(text).replace("\xa0", " ")
    text = _BULLET.sub("\n", text)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def one_line(text: str) -> str:
    """``strip_html`` flattened to a single line, for short fields such as names and labels."""
    return " ".join(strip_html(text).split())


def normalise_dashes(text: str) -> str:
    """En and em dashes as " - ", so "v2 – January 2017" reads "v2 - January 2017"."""
    return " ".join(_DASHES.sub(" - ", text).split())


def split_cells(line: str) -> list[str]:
    """The cells of a tab-separated row, each stripped of surrounding spaces."""
    return [cell.strip() for cell in line.split("\t")]


def is_separator(cells: list[str]) -> bool:
    """A row drawn with dashes ("--<TAB>--<TAB>-----"): a rule in the table, not an action."""
    return any(cells) and all(_SEPARATOR_CELL.match(cell) for cell in cells)


def is_tick(cell: str) -> bool:
    return one_line(cell).casefold() in TICK_MARKS


def split_ticks(value: str) -> tuple[str, list[dict]]:
    """Split "free text HSE <input .../> MH Act <input checked/>" into the text and its ticks.

    Each box follows its label, so a label is the text since the previous box. The first
    label is cut from the free text before it at the last clause break (".", ",", ";", ")").
    """
    parts = _TICK_BOX.split(value)
    boxes = _TICK_BOX.findall(value)
    if not boxes:
        return value, []
    free = ""
    ticks = []
    for index, (label, box) in enumerate(zip(parts, boxes, strict=False)):
        label = one_line(label)
        if index == 0:
            cut = max(label.rfind(mark) for mark in ".,;)")
            free, label = label[: cut + 1].strip(), label[cut + 1 :].strip()
        if label:
            ticks.append({"label": label, "ticked": bool(_CHECKED.search(box))})
    trailing = one_line(parts[-1])
    if trailing:
        free = f"{free} {trailing}".strip()
    return free, ticks


def smart_title(text: str) -> str:
    """ "BOARD OF DIRECTORS" as "Board of Directors"; text not in capitals is left alone."""
    if text != text.upper():
        return text
    words = text.casefold().split()
    return " ".join(
        word if index and word in SMALL_WORDS else word[:1].upper() + word[1:]
        for index, word in enumerate(words)
    )


def paragraphs(lines: list[str]) -> str:
    """Lines of prose joined as they were written, blank lines dropped, HTML stripped."""
    return "\n".join(filter(None, (strip_html(line.strip("\t ")) for line in lines)))
