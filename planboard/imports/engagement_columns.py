"""The columns of an activity register, and how a cell's words become a field's value.

Shared by the import (``engagement_activities``) and the export
(``engagement_export``): the export writes the headings the import reads first, so a
register exported imports back to the same activities.

Headers are compared after ``feedback_tables.header_words`` tidies them (case,
punctuation, numbering such as "3. Level"); a count of people may be headed "Number of
carers" or "No. of carers" as well as "Carers". Levels, kinds and recurrences are read
from the words trackers use ("Co-production", "Consultation", "Every two weeks").
"""

import re

from planboard.engagement.models import Kind, Level, Perspective, Recurrence

HEADERS = {
    "ref": {"ref", "id", "reference", "activity ref", "activity id", "ref no", "reference number"},
    "title": {
        "activity",
        "title",
        "name of activity",
        "activity name",
        "activity title",
        "name",
        "engagement activity",
    },
    "kind": {"type", "kind", "type of activity", "activity type", "kind of activity", "format"},
    "services": {
        "directorate",
        "directorates",
        "service",
        "services",
        "team",
        "teams",
        "directorate or service",
        "directorates or services",
        "directorates and services",
        "service area",
        "care group",
    },
    "level": {
        "level",
        "level of involvement",
        "engagement level",
        "involvement level",
        "level of engagement",
        "level of participation",
    },
    "starts_on": {"date", "start", "from", "start date", "date from", "starts", "date started"},
    "ends_on": {"end", "to", "end date", "date to", "ends", "until", "date ended"},
    "recurrence": {"frequency", "recurrence", "how often", "recurring", "meets"},
    "purpose": {"purpose", "aim", "aims", "why", "description", "objective", "objectives"},
    "commitments": {"commitments", "commitment", "commitment refs", "strategy commitments"},
    "actions": {"actions", "action", "action refs", "plan actions"},
    "lead": {"lead", "led by", "lead person", "who leads", "owner", "lead officer"},
    "outcome": {"outcome", "outcomes", "what changed", "impact", "what changed as a result"},
    "fed_back": {
        "fed back",
        "feedback given",
        "fed back on",
        "outcome fed back",
        "fed back to participants",
        "feedback to participants",
        "you said we did",
    },
    "fed_back_on": {
        "date fed back",
        "fed back date",
        "date feedback given",
        "when fed back",
        "feedback date",
    },
    "fed_back_how": {
        "how fed back",
        "how it was fed back",
        "how feedback given",
        "feedback method",
    },
}
PERSPECTIVE_HEADERS = {
    Perspective.SERVICE_USER: {
        "service users",
        "service user",
        "patients",
        "people who use services",
    },
    Perspective.CARER: {"carers", "carer", "families and carers", "family and carers"},
    Perspective.EXPERT_BY_EXPERIENCE: {
        "experts by experience",
        "expert by experience",
        "ebe",
        "ebes",
        "ebe s",
    },
    Perspective.PEER_WORKER: {"peer workers", "peer worker", "peer support workers", "peers"},
    Perspective.STAFF_LIVED_EXPERIENCE: {
        "staff with lived experience",
        "staff lived experience",
        "lived experience staff",
    },
    Perspective.PUBLIC: {
        "public",
        "members of the public",
        "general public",
        "member of the public",
    },
}
BY_WORDS = {words: name for name, all_words in HEADERS.items() for words in all_words}
BY_WORDS |= {
    words: f"count:{perspective}"
    for perspective, all_words in PERSPECTIVE_HEADERS.items()
    for words in all_words
}
_COUNT_PREFIX = re.compile(r"^(?:number of|no of|no|count of|how many|num|total)\s+")

# The headings the export writes, which the import reads first.
HEADINGS = {
    "ref": "Ref",
    "title": "Activity",
    "kind": "Type",
    "services": "Directorates",
    "level": "Level of involvement",
    "starts_on": "Start",
    "ends_on": "End",
    "recurrence": "Frequency",
    "purpose": "Purpose",
    "commitments": "Commitments",
    "actions": "Actions",
    "lead": "Lead",
    "outcome": "Outcome",
    "fed_back": "Fed back on",
    "fed_back_how": "How fed back",
} | {f"count:{p.value}": p.label for p in Perspective}
ONGOING = {"ongoing", "present", "to date", "continuing", "current", "open", "open ended"}


def recognise(words: str):
    """(field, rank) for a header's words, or None."""
    if words in BY_WORDS:
        return BY_WORDS[words], 0
    shorter = _COUNT_PREFIX.sub("", words)
    if shorter != words and BY_WORDS.get(shorter, "").startswith("count:"):
        return BY_WORDS[shorter], 0
    return None


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.casefold())


# Stems of each level, most involved first: "informal consultation" is a consultation.
_LEVEL_STEMS = (
    (Level.COPRODUCE, ("coprod",)),
    (Level.COLLABORATE, ("collab",)),
    (Level.INVOLVE, ("involv",)),
    (Level.CONSULT, ("consult",)),
    (Level.INFORM, ("inform",)),
)


def read_level(text: str) -> str:
    """The level a cell names ("Co-production", "consultation", "3 - Involve"), or
    ValueError saying which words are known."""
    letters = _letters(text)
    for level, stems in _LEVEL_STEMS:
        if any(stem in letters for stem in stems):
            return level
    raise ValueError(
        f'"{text}" is not a level of involvement (inform, consult, involve, collaborate '
        "or co-produce)"
    )


_KIND_WORDS = (
    (Kind.RECRUITMENT, ("recruit", "interviewpanel", "selectionpanel")),
    (Kind.SURVEY, ("survey", "questionnaire", "poll")),
    (Kind.TRAINING, ("training", "teaching", "codeliver")),
    (Kind.QI_PROJECT, ("qualityimprovement", "qiproject")),
    (Kind.COPRODUCTION, ("coprod",)),
    (Kind.CONSULTATION, ("consult",)),
    (Kind.STANDING_GROUP, ("group", "forum", "committee", "board", "network", "panel")),
    (Kind.EVENT, ("event", "workshop", "conference", "session", "meeting", "day")),
    (Kind.OTHER, ("other",)),
)


def read_kind(text: str) -> str:
    """The kind a cell names (its label, its value or a word trackers use)."""
    letters = _letters(text)
    for kind in Kind:
        if letters in (_letters(kind.label), _letters(kind.value)):
            return kind.value
    if letters == "qi":
        return Kind.QI_PROJECT.value
    for kind, words in _KIND_WORDS:
        if any(word in letters for word in words):
            return kind.value
    known = ", ".join(kind.label.lower() for kind in Kind)
    raise ValueError(f'"{text}" is not a kind of activity ({known})')


_RECURRENCE_WORDS = (
    (Recurrence.FORTNIGHTLY, ("fortnight", "everytwoweeks", "biweekly", "everyotherweek")),
    (Recurrence.WEEKLY, ("weekly", "everyweek")),
    (Recurrence.MONTHLY, ("monthly", "everymonth")),
    (Recurrence.QUARTERLY, ("quarter",)),
    (Recurrence.ONCE, ("once", "oneoff", "single", "oneday", "none")),
)


def read_recurrence(text: str) -> str:
    """How often a cell says it happens; words planboard does not know are "other"."""
    letters = _letters(text)
    if not letters:
        return Recurrence.ONCE
    for recurrence, words in _RECURRENCE_WORDS:
        if any(word in letters for word in words):
            return recurrence.value
    return Recurrence.OTHER.value


def split_names(text: str) -> list[str]:
    """The names in a cell: split on ";" (or on "," when there is no ";") and new lines."""
    separators = r"[;\n]" if ";" in text else r"[,\n]"
    return [part.strip() for part in re.split(separators, text) if part.strip()]


def split_refs(text: str) -> list[str]:
    """The refs in a cell: "1.3; 2.1", "1.3, 2.1", "1.3 2.1"."""
    return [part for part in re.split(r"[;,\s]+", text) if part]
