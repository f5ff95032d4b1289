"""The paper's front matter and its key of roles and people, as every format prints them.

A board reads leads as the plan writes them ("EM / CI Manager"); the key decodes each
into the role and the people who hold it, as the plan's own key does.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class LeadCount:
    """How many open actions a lead role has not updated this period."""

    lead: str
    decoded: str
    count: int


@dataclass(frozen=True)
class FrontMatter:
    """The header block and title a board expects before anything else.

    ``title`` is the cover sheet's title of paper, else the plan's title and the period
    ("<plan>: progress in 2016/17 Q3"); ``preface`` is the plan's own introduction, as
    its paper printed it.
    """

    organisation: str
    meeting: str
    meeting_date: str
    reference: str
    item: str
    title: str
    plan_title: str
    plan_version: str
    preface: str


@dataclass(frozen=True)
class KeyRole:
    """A role of the plan's key: how leads print it, its title and the people in it."""

    short: str
    title: str
    people: tuple[str, ...]

    @property
    def says_more(self) -> bool:
        """The key tells a reader more of this role than its short name does."""
        return bool(self.people) or self.title != self.short

    @property
    def decoded(self) -> str:
        """The role in words: "Engagement Manager (Laura Di Bona, Mia Bajin)"."""
        named = f" ({', '.join(self.people)})" if self.people else ""
        return f"{self.title}{named}"


@dataclass(frozen=True)
class KeyPerson:
    """A person of the plan's key, with the roles they hold as the key writes them."""

    name: str
    roles: tuple[str, ...]
    note: str

    @property
    def line(self) -> str:
        """ "Mike Hunter, Medical Director (MD)"; a note follows in brackets."""
        text = ", ".join((self.name, *self.roles))
        return f"{text} ({self.note})" if self.note else text


@dataclass(frozen=True)
class PeopleKey:
    """The key of roles and people: the Expert by Experience leads, everyone else
    named with their roles, and the roles in the key that nobody named holds."""

    ebe_leads: tuple[KeyPerson, ...] = ()
    people: tuple[KeyPerson, ...] = ()
    unheld: tuple[KeyRole, ...] = ()
    roles: tuple[KeyRole, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.ebe_leads or self.people or self.unheld)

    def decode(self, short: str) -> KeyRole | None:
        """The key's role that leads print as ``short``, or None when the key has none."""
        return next((role for role in self.roles if role.short == short), None)
