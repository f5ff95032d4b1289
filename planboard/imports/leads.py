"""Who leads an action: the lead text of a plan row resolved to the roles of the plan's key.

Plans name leads loosely: "EM/OD Manager/Head of SUEMU", "MD, Chairs of SUSEG",
"SUSEG Chairs/ CI Manager", "EM Fiona Goudie". Each segment is matched against the
key's abbreviations, titles and aliases, ignoring case, spacing and plurals, and
treating "Chairs of X", "X Chairs" and "X Chair" alike. A lead the key does not name
is still kept, as a role outside the key (``in_key=False``), so the checker can report
it and nobody's responsibility is silently dropped. The resolver works on any objects
with ``title``, ``abbreviation`` and ``aliases``, so a database import can reuse it.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from planboard.imports.text import singular

_SEPARATORS = re.compile(r"[/,]")
_CHAIR_OF = re.compile(
    r"^(?:co-?\s*)?chair(?:s|man|men|person|persons|people)?\s+of\s+(?:the\s+)?(.+)$"
)
_CO_CHAIR = re.compile(r"\bco-?\s*chair")


@dataclass(eq=False)
class RoleSpec:
    """A role as an import sees it before it is saved."""

    title: str
    abbreviation: str = ""
    aliases: list[str] = field(default_factory=list)
    in_key: bool = True


def split_leads(text: str) -> list[str]:
    """The segments of a lead cell: split on "/" and ",", spacing tidied, empties dropped."""
    segments = (" ".join(part.split()).strip(" .;:-") for part in _SEPARATORS.split(text or ""))
    return [segment for segment in segments if segment]


def lead_key(name: str) -> str:
    """The form names are compared in: "Chairs of SUSEG", "SUSEG chair" -> "suseg chair"."""
    words = " ".join((name or "").replace("&", " and ").split()).casefold().strip(" .;:-")
    words = _CO_CHAIR.sub("chair", words)
    if match := _CHAIR_OF.match(words):
        words = f"{match.group(1)} chair"
    return " ".join(singular(word) for word in words.split())


class LeadResolver:
    """Resolves lead text against a key of roles, creating roles outside the key as needed."""

    def __init__(self, roles: Iterable, make_role: Callable[[str], object] | None = None):
        self.key_roles = list(roles)
        self.unresolved: dict[str, object] = {}
        self._make_role = make_role or (lambda title: RoleSpec(title=title, in_key=False))
        self._index: dict[str, list] = {}
        for role in self.key_roles:
            for name in _names(role):
                found = self._index.setdefault(lead_key(name), [])
                if role not in found:
                    found.append(role)

    @property
    def roles(self) -> list:
        """Every role: the key's, then those met in lead text, in the order first seen."""
        return self.key_roles + list(self.unresolved.values())

    def resolve(self, text: str) -> list:
        """The distinct roles named by a lead cell, in the order written."""
        found = []
        for segment in split_leads(text):
            for role in self._resolve_segment(segment):
                if role not in found:
                    found.append(role)
        return found

    def _resolve_segment(self, segment: str) -> list:
        role = self.match(segment)
        if role is not None:
            _remember_alias(role, segment)
            return [role]
        words = segment.split()
        for size in range(len(words) - 1, 0, -1):
            head = self._exact(" ".join(words[:size]))
            if head is not None:
                return [head, *self._resolve_segment(" ".join(words[size:]))]
        key = lead_key(segment)
        if key not in self.unresolved:
            self.unresolved[key] = self._make_role(segment)
        return [self.unresolved[key]]

    def match(self, name: str):
        """The one key role ``name`` means, or None when it names none or several."""
        exact = self._exact(name)
        if exact is not None:
            return exact
        wanted = lead_key(name).split()
        if len(wanted) < 2:
            return None
        candidates = {
            id(role): role
            for role in self.key_roles
            for candidate in _names(role)
            if _is_abridgement(wanted, lead_key(candidate).split())
        }
        return next(iter(candidates.values())) if len(candidates) == 1 else None

    def _exact(self, name: str):
        found = self._index.get(lead_key(name), [])
        if len(found) > 1:  # "Chair of X" and "X Chair" both in the key: take the one written
            written = " ".join(name.split()).casefold()
            found = [role for role in found if written in _folded_names(role)]
        return found[0] if len(found) == 1 else None


def _names(role) -> list[str]:
    return [name for name in (role.title, role.abbreviation, *(role.aliases or [])) if name]


def _folded_names(role) -> set[str]:
    return {" ".join(name.split()).casefold() for name in _names(role)}


def _is_abridgement(short: list[str], full: list[str]) -> bool:
    """ "OD Manager" abridges "OD Programme Manager": same ends, words in order."""
    if len(short) >= len(full) or short[0] != full[0] or short[-1] != full[-1]:
        return False
    remaining = iter(full)
    return all(word in remaining for word in short)


def _remember_alias(role, written: str) -> None:
    """Keep how the plan wrote a role ("EMs") when it is not its title or abbreviation."""
    if " ".join(written.split()).casefold() not in _folded_names(role):
        role.aliases = [*(role.aliases or []), written]
