"""How easy a public summary is to read: the Flesch reading ease score.

The score runs from about 0 (very hard) to 100 (very easy); 60 and above is plain
English, which most adults read easily. It is a rough guide: it counts words per
sentence and syllables per word, so short words in short sentences score well.
Governance sees it next to each summary and a list of the summaries below the target.
"""

import functools
from dataclasses import dataclass

# Plain English starts at 60 on the Flesch scale.
PLAIN_ENGLISH = 60


@functools.cache
def _textstat():
    """textstat, set to British English; imported on first use, as loading its
    hyphenation dictionary takes a good part of a second that most processes (a worker,
    a command) never need."""
    import textstat

    textstat.set_lang("en_GB")
    return textstat


@dataclass(frozen=True)
class Readability:
    """A summary's score and what it means in words."""

    score: float
    words: str

    @property
    def is_hard(self) -> bool:
        return self.score < PLAIN_ENGLISH


def readability(text: str) -> Readability | None:
    """The reading ease of ``text``, or None when there is no text to score.

    Text with no letters at all ("---", "1.2.3") has no words to score, though the
    formula would call it as easy as text can be.
    """
    if not any(character.isalpha() for character in text or ""):
        return None
    score = round(max(0.0, min(100.0, _textstat().flesch_reading_ease(text))), 1)
    return Readability(score=score, words=_words(score))


def _words(score: float) -> str:
    if score >= 80:
        return "Easy to read"
    if score >= PLAIN_ENGLISH:
        return "Plain English"
    if score >= 50:
        return "Fairly hard to read"
    if score >= 30:
        return "Hard to read"
    return "Very hard to read"
