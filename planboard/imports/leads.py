"""Leads as an import sees them: roles of a paper's key before they are saved, lead cells
read as one line, and the lead matcher of ``planboard.people.leads`` (the one place the
rules of matching a lead to the key live), which a paper import asks to keep each lead
its key does not name as a role outside the key.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from planboard.imports.text import one_line
from planboard.people import leads as matching
from planboard.people.leads import (
    BY_ABRIDGEMENT,
    BY_ALIAS,
    BY_INITIALS,
    BY_PERSON,
    BY_SHORT_NAME,
    BY_TITLE,
    LeadMatch,
    distinct_leads,
    lead_key,
    resolver_for,
    split_leads,
)

__all__ = [
    "BY_ABRIDGEMENT",
    "BY_ALIAS",
    "BY_INITIALS",
    "BY_PERSON",
    "BY_SHORT_NAME",
    "BY_TITLE",
    "LeadMatch",
    "LeadResolver",
    "RoleSpec",
    "distinct_leads",
    "lead_cell",
    "lead_key",
    "outside_key",
    "resolver_for",
    "split_leads",
]


@dataclass(eq=False)
class RoleSpec:
    """A role as an import sees it before it is saved."""

    title: str
    abbreviation: str = ""
    aliases: list[str] = field(default_factory=list)
    in_key: bool = True

    def __str__(self):
        if self.abbreviation and self.abbreviation != self.title:
            return f"{self.title} ({self.abbreviation})"
        return self.title


def lead_cell(text: str) -> str:
    """A lead cell as one line: its lines joined with " / ", so each stays one lead."""
    return " / ".join(filter(None, map(one_line, str(text or "").splitlines())))


def outside_key(title: str) -> RoleSpec:
    """A role for a lead a paper's key does not name, kept so the checker reports it."""
    return RoleSpec(title=title, in_key=False)


class LeadResolver(matching.LeadResolver):
    """The matcher, making a ``RoleSpec`` outside the key for a lead the key does not
    name unless told otherwise (``make_role=None``)."""

    def __init__(
        self,
        roles: Iterable,
        people: Iterable = (),
        make_role: Callable[[str], object] | None = outside_key,
    ):
        super().__init__(roles, people, make_role=make_role)
