"""The plan's key of roles and people: "Mike Hunter, Medical Director (MD)" and the like.

Each key line gives a person and the role they hold, a role on its own ("IT Department
(IT)") or a group ("Regular Expert By Experience (EbE) Leads: Brendan Stone, ...").
An abbreviation in brackets names the role in the plan's lead column; when it sits in
the middle of a title it stands for the words before it ("Continuous Improvement (CI)
Manager" is led as "CI Manager"). A bracketed "(co-chair SUSEG)" makes the person hold
the role "Chair of SUSEG", which the table writes as "SUSEG Chairs" or "Chairs of SUSEG".
"""

import re
from dataclasses import dataclass, field

from planboard.imports.leads import RoleSpec
from planboard.imports.text import SMALL_WORDS, one_line
from planboard.people.leads import singular

_PARTICLES = {"de", "di", "da", "del", "du", "la", "le", "van", "von", "der", "st", "mc", "o"}
_GROUP = re.compile(r"^(?P<label>[^:,]{3,80}):\s*(?P<names>\S.*)$")
_PERSON = re.compile(r"^(?P<name>[^,()]{2,60}),\s*(?P<role>\S.*)$")
_ROLE = re.compile(r"^(?P<title>[^,()]{2,80}?)\s*\((?P<abbr>[^()]{1,30})\)\s*$")
_PAREN = re.compile(r"\s*\(([^()]*)\)")
_CHAIR_NOTE = re.compile(
    r"^(?:co-?\s*)?chair(?:man|person)?\s+(?:of\s+)?(?:the\s+)?(?P<body>\S.*)$", re.IGNORECASE
)
_EBE = re.compile(r"expert\w*\s+by\s+experience|\bebe\b", re.IGNORECASE)
MAX_KEY_LINE = 250


@dataclass(eq=False)
class PersonSpec:
    """A person named in the key, with the roles they hold."""

    name: str
    roles: list[RoleSpec] = field(default_factory=list)
    is_ebe_lead: bool = False
    note: str = ""


@dataclass
class Key:
    roles: list[RoleSpec] = field(default_factory=list)
    people: list[PersonSpec] = field(default_factory=list)

    def role(self, title: str, abbreviation: str = "") -> RoleSpec:
        """The key's role with this title, added the first time it is named."""
        for role in self.roles:
            if role.title.casefold() == title.casefold():
                if abbreviation and abbreviation.casefold() != role.abbreviation.casefold():
                    if not role.abbreviation:
                        role.abbreviation = abbreviation
                    elif abbreviation not in role.aliases:
                        role.aliases.append(abbreviation)
                return role
        role = RoleSpec(title=title, abbreviation=abbreviation)
        self.roles.append(role)
        return role

    def person(self, name: str) -> PersonSpec:
        for person in self.people:
            if person.name.casefold() == name.casefold():
                return person
        person = PersonSpec(name=name)
        self.people.append(person)
        return person


def is_key_line(line: str) -> bool:
    """Whether a line of the plan's preamble reads as an entry of the key."""
    line = one_line(line)
    if not line or len(line) > MAX_KEY_LINE or "\t" in line or line.endswith("."):
        return False  # key entries are not sentences
    if match := _GROUP.match(line):
        return all(_looks_like_name(name) for name in _split_names(match.group("names")))
    if match := _PERSON.match(line):
        return _looks_like_name(match.group("name"))
    return bool(_ROLE.match(line))


def parse_key(lines: list[str]) -> Key:
    """The roles and people of the key lines, in the order written."""
    key = Key()
    for line in map(one_line, lines):
        if match := _GROUP.match(line):
            _add_group(key, match.group("label"), match.group("names"))
        elif match := _PERSON.match(line):
            title, abbreviation, notes = _parse_role_text(match.group("role"))
            _add_person(key, match.group("name"), key.role(title, abbreviation), notes)
        elif match := _ROLE.match(line):
            title, abbreviation, _ = _parse_role_text(line)
            key.role(title, abbreviation)
    return key


def initials_match(words: list[str], abbreviation: str) -> bool:
    """Whether ``abbreviation`` is made of the initials of ``words`` ("EbE", "BoD", "EDG")."""
    letters = [char.casefold() for char in abbreviation if char.isalpha()]
    initials = [word[0].casefold() for word in words if word[:1].isalpha()]
    significant = [
        word[0].casefold() for word in words if word.casefold() not in SMALL_WORDS and word[:1]
    ]
    return len(letters) > 1 and letters in (initials, significant)


def expansion(words: list[str], abbreviation: str) -> list[str]:
    """The shortest run of words ending ``words`` whose initials spell ``abbreviation``."""
    for start in range(len(words) - 1, -1, -1):
        if initials_match(words[start:], abbreviation):
            return words[start:]
    return []


def _split_names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def _looks_like_name(text: str) -> bool:
    words = _PAREN.sub("", text).split()
    return 1 <= len(words) <= 5 and all(
        word[:1].isupper() or word.casefold() in _PARTICLES for word in words
    )


def _parse_role_text(text: str) -> tuple[str, str, list[str]]:
    """Title, abbreviation and bracketed notes of "Continuous Improvement (CI) Manager"."""
    notes = []
    abbreviation_at = None
    for match in _PAREN.finditer(text):
        content = " ".join(match.group(1).split())
        if _CHAIR_NOTE.match(content) or abbreviation_at is not None:
            notes.append(content)
        else:
            abbreviation_at = match
    if abbreviation_at is None:
        return " ".join(_PAREN.sub("", text).split()), "", notes
    after = _PAREN.sub("", text[abbreviation_at.end() :])
    title = " ".join(_PAREN.sub("", text).split())
    abbreviation = " ".join(f"{abbreviation_at.group(1)} {after}".split())
    return title, abbreviation, notes


def _add_person(key: Key, written: str, role: RoleSpec | None, notes: list[str]) -> PersonSpec:
    person = key.person(" ".join(written.split()))
    if role is not None and role not in person.roles:
        person.roles.append(role)
    for note in notes:
        if match := _CHAIR_NOTE.match(note):
            body = match.group("body")
            chair = key.role(f"Chair of {body}", f"{body} Chairs")
            if chair not in person.roles:
                person.roles.append(chair)
        person.note = "; ".join(filter(None, [person.note, note]))
    return person


def _add_group(key: Key, label: str, names: str) -> None:
    """ "Regular Expert By Experience (EbE) Leads: A, B" -> role "Expert by Experience Lead"."""
    title_words, abbreviation_words = label.split(), []
    if match := _PAREN.search(label):
        before, after = label[: match.start()].split(), _PAREN.sub("", label[match.end() :]).split()
        short = match.group(1).strip()
        title_words = (expansion(before, short) or before) + after
        abbreviation_words = [short, *after]
    title = _tidy_title(_singular_last(title_words))
    abbreviation = " ".join(_singular_last(abbreviation_words))
    role = key.role(title, abbreviation)
    for written in _split_names(names):
        notes = [" ".join(match.split()) for match in re.findall(r"\(([^()]*)\)", written)]
        person = _add_person(key, _PAREN.sub("", written), role, notes)
        person.is_ebe_lead = person.is_ebe_lead or bool(_EBE.search(label))


def _singular_last(words: list[str]) -> list[str]:
    """ "Expert by Experience Leads" names one lead's role: "Expert by Experience Lead"."""
    return [*words[:-1], singular(words[-1])] if words else []


def _tidy_title(words: list[str]) -> str:
    return " ".join(
        word.casefold() if index and word.casefold() in SMALL_WORDS else word
        for index, word in enumerate(words)
    )
