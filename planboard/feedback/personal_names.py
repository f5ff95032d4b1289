"""The names of people planboard knows (staff and service users), found in a text.

A name is found as whole words in any case: "Jane Smith", "jane smith", and with a middle
name known, "Jane Ann Smith" or "Jane Smith". A surname alone ("Smith", "Smith's") counts
only when it has at least four letters and starts with a capital in the text: shorter
surnames (Lee, Ng, Fox) and lower-case words are far more often ordinary words ("the
lee of the hill", "a smith") than a person, and a capital is how English marks a name.
A title before a surname ("Mr Lee", "Dr. Ng") makes it a name whatever its length or
case, and the title is part of the finding. A first name alone is never flagged: first
names are shared by too many people ("Mark", "Hope", "Will") to point to one. A name
known as one word only ("Priya") is all there is to match, so it counts as a surname.
Nothing is found inside another word ("Smithson" is not "Smith").
"""

import re
from functools import lru_cache

TITLES = frozenset("mr mrs ms miss mx dr prof professor sir dame lady lord rev revd cllr".split())
WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
POSSESSIVE = ("'s", "’s")
SHORTEST_SURNAME_ALONE = 4
# Between a title and a name: an optional full stop, then spaces.
AFTER_TITLE = re.compile(r"\.?[ \t\u00a0]+")


class KnownNames:
    """The known names arranged for one pass over a text's words: each full name under
    its first word, and the set of surnames."""

    def __init__(self, names):
        self.by_first: dict[str, set[tuple[str, ...]]] = {}
        self.surnames: set[str] = set()
        for name in names:
            words = [word.lower() for word in WORD.findall(str(name))]
            while words and words[0] in TITLES:
                words.pop(0)
            if not words:
                continue
            self.surnames.add(words[-1])
            if len(words) > 1:
                self.by_first.setdefault(words[0], set()).add(tuple(words))
            if len(words) > 2:
                self.by_first[words[0]].add((words[0], words[-1]))


@lru_cache(maxsize=8)
def _known(names: tuple[str, ...]) -> KnownNames:
    return KnownNames(names)


def _base(word: str) -> tuple[str, int]:
    """A word in lower case without a possessive 's, and how long that is in the text."""
    for ending in POSSESSIVE:
        if word.lower().endswith(ending) and len(word) > len(ending):
            return word[: -len(ending)].lower(), len(word) - len(ending)
    return word.lower(), len(word)


def find_names(text: str, known_names) -> list[tuple[int, int]]:
    """The spans of the known names in ``text``, in order, none overlapping."""
    names = tuple(str(name) for name in known_names)
    if not names:
        return []
    known = _known(names)
    words = list(WORD.finditer(text))
    spans, i = [], 0
    while i < len(words):
        found = _full_name(text, words, i, known) or _surname(text, words, i, known)
        if found is None:
            i += 1
            continue
        last, end = found
        start = words[i].start()
        if i > 0 and _is_title_before(text, words[i - 1], start):
            start = words[i - 1].start()
        spans.append((start, end))
        i = last + 1
    return spans


def _full_name(text, words, i, known):
    """(index of the last word, end) of the longest known full name starting at word i."""
    best = None
    for name in known.by_first.get(words[i].group().lower(), ()):
        last = i + len(name) - 1
        if last >= len(words) or (best and last <= best[0]):
            continue
        if all(
            words[i + k].group().lower() == part and _spaces_between(text, words, i + k)
            for k, part in enumerate(name[:-1])
        ):
            base, length = _base(words[last].group())
            if base == name[-1]:
                best = (last, words[last].start() + length)
    return best


def _spaces_between(text, words, k) -> bool:
    gap = text[words[k].end() : words[k + 1].start()]
    return bool(gap) and gap.isspace()


def _surname(text, words, i, known):
    word = words[i].group()
    base, length = _base(word)
    if base not in known.surnames:
        return None
    titled = i > 0 and _is_title_before(text, words[i - 1], words[i].start())
    if titled or (length >= SHORTEST_SURNAME_ALONE and word[0].isupper()):
        return i, words[i].start() + length
    return None


def _is_title_before(text, previous, start) -> bool:
    return previous.group().lower() in TITLES and bool(
        AFTER_TITLE.fullmatch(text, previous.end(), start)
    )
