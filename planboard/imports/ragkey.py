"""The paper's key to its RAG ratings: "Key to RAG rating:" then "- Green: definition" lines.

The key defines the strategy's scale, in the order written. A rating in the table that
the key does not define (the seed's "Yellow") is kept as written and left unmatched.
"""

import re

from planboard.imports.errors import PaperError
from planboard.imports.parsed import RagLevelSpec
from planboard.imports.text import one_line

_HEADING = re.compile(
    r"^\s*(?:key\b.{0,40}\b(?:b?rag|ratings?|status)\b|b?rag\s+(?:rating\s+)?key\b)",
    re.IGNORECASE,
)
_LEVEL = re.compile(
    r"^\s*(?:[-•*▪]\s*)?(?P<label>[A-Za-z][A-Za-z/ ]{0,30}?)\s*(?::|=|\s[-–—]\s)\s*"
    r"(?P<definition>\S.*)$"
)


def find_rag_key(lines: list[str]) -> tuple[list[RagLevelSpec], set[int]]:
    """The levels of the first RAG key in ``lines`` and the indexes of the lines it covers."""
    for start, line in enumerate(lines):
        if "\t" in line or not _HEADING.match(line):
            continue
        levels, used = [], {start}
        for index in range(start + 1, len(lines)):
            text = lines[index]
            if not text.strip():
                continue
            match = _LEVEL.match(one_line(text)) if "\t" not in text else None
            if match is None:
                break
            label = match.group("label").strip()
            if any(level.label.casefold() == label.casefold() for level in levels):
                raise PaperError(f'the RAG key defines "{label}" twice', line=index + 1)
            levels.append(RagLevelSpec(label, match.group("definition")))
            used.add(index)
        if levels:
            return levels, used
    return [], set()
