"""Who leads an action: the lead text of a plan row matched to the plan's key.

Plans and trackers name leads loosely: "EM/OD Manager/Head of SUEMU", "MD, Chairs of
SUSEG", "Dr J. Lyon & HoPE", "Jane Lyon and Head of CG". A cell is read left to right,
and at each point the longest run of words the key names is taken (so a role such as
"Director of Nursing and Quality" is one lead, not two). Leads are parted by "/", ",",
";" and new lines, and by "and", "&" and "+" where the key names what follows ("Head of
Equality and Inclusion", which it does not, stays one lead). A run of words matches, in this
order of preference, a role's title, its short name (abbreviation), another name the
key gives it (alias), a person's name (the roles they hold), or a person's initials.
Case, punctuation, titles such as "Dr" and "Ms", plurals, surname-first names and
"Chairs of X" for "X Chair" make no difference. Initials that several people share
match nobody: the lead is reported, never guessed.

A lead that matches nothing is kept as written on the action (its ``lead_text``) and
reported by the checker. Only an import that has been told it may (a board paper that
defines its key, or a tracker for a strategy with no key yet) turns such a lead into a
role, by giving ``LeadResolver`` a ``make_role``. The resolver works on any objects with
``title``, ``abbreviation`` and ``aliases`` (roles) and ``name`` and ``roles`` (people),
so the paper import, the table import, the web preview and the checker share it.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

SEPARATORS = ("/", ",", "&", "and", ";", "+", "new line")
_TOKEN = re.compile(r"\n|[/,&;+|]|[^\s/,&;+|]+")
_APOSTROPHES = re.compile(r"['’`]")
_PUNCTUATION = re.compile(r"[^\w\s]|_")
_CHAIR_OF = re.compile(
    r"^(?:co-?\s*)?chair(?:s|man|men|person|persons|people)?\s+of\s+(?:the\s+)?(.+)$"
)
_CO_CHAIR = re.compile(r"\bco-?\s*chair")
TITLES = frozenset(
    "dr doctor mr mrs ms miss mx prof professor sir dame rev revd cllr lady lord".split()
)

# How a lead matched, best first: a role's own names win over people's names and initials.
BY_TITLE, BY_SHORT_NAME, BY_ALIAS = "role name", "short name", "another name in the key"
BY_PERSON, BY_INITIALS, BY_ABRIDGEMENT = "person's name", "initials", "shortened role name"
_RANK = {BY_TITLE: 0, BY_SHORT_NAME: 1, BY_ALIAS: 2, BY_PERSON: 3, BY_INITIALS: 4}


@dataclass(frozen=True)
class LeadMatch:
    """One lead as written in a cell, and what it matched in the key.

    ``roles`` is empty when it matched nothing; ``problem`` then says why ("could be
    Jane Lyon or John Lee") when there is more to say than that the key does not name it.
    """

    written: str
    roles: tuple = ()
    how: str = ""
    person: str = ""
    problem: str = ""

    @property
    def matched(self) -> bool:
        return bool(self.roles)

    def describe(self) -> str:
        """ "Jane Lyon → Head of Patient Experience (HoPE), by person's name"."""
        if not self.roles:
            return f"{self.written} → {self.problem or 'nothing in the key'}"
        return f"{self.written} → {', '.join(map(str, self.roles))}, by {self.how}"


@dataclass(frozen=True)
class _Entry:
    rank: int
    how: str
    label: str  # the role or person the entry names, for messages
    roles: tuple
    written: str  # the name as the key writes it


def split_leads(text: str) -> list[str]:
    """The parts of a cell between "/", ",", ";" and new lines, spacing tidied, empties
    dropped: no lead is longer than its part. "And", "&" and "+" part leads only where
    the key says so (``LeadResolver.explain``)."""
    parts, current = [], []
    for token in _TOKEN.findall(text or ""):
        if _is_hard(token):
            parts.append(" ".join(current))
            current = []
        else:
            current.append(token)
    parts.append(" ".join(current))
    return [part.strip(" .;:-") for part in parts if part.strip(" .;:-")]


def lead_key(name: str) -> str:
    """The form names are compared in: "Chairs of SUSEG", "SUSEG chair" -> "suseg chair"."""
    words = (name or "").replace("&", " and ").replace("+", " and ")
    words = _APOSTROPHES.sub("", words.casefold())
    words = _CO_CHAIR.sub("chair", " ".join(words.split()))
    words = " ".join(_PUNCTUATION.sub(" ", words).split())
    if match := _CHAIR_OF.match(words):
        words = f"{match.group(1)} chair"
    return " ".join(singular(word) for word in words.split())


def singular(word: str) -> str:
    """A crude singular for role names: "Managers" -> "Manager", "EMs" -> "EM"."""
    if len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _compact(name: str) -> str:
    return lead_key(name).replace(" ", "")


def _is_separator(token: str) -> bool:
    """A token between leads: a hard one, "and", "&", "+", or a mark that names nothing
    ("-", "." standing alone), which a lead neither starts nor ends with."""
    return (
        _is_hard(token) or token in ("&", "+") or token.casefold() == "and" or not lead_key(token)
    )


def _is_hard(token: str) -> bool:
    """A separator that always parts two leads, unlike "and", "&" and "+", which a role's
    own name may hold."""
    return token in ("\n", "/", ",", ";", "|")


class LeadResolver:
    """Matches lead text against a key of roles and the people holding them.

    ``make_role(title)``, when given, makes a role for a lead that matches nothing (one
    per distinct lead, as a paper import wants); without it such a lead matches no role
    and is listed in ``unmatched``, as written.
    """

    def __init__(
        self,
        roles: Iterable,
        people: Iterable = (),
        make_role: Callable[[str], object] | None = None,
    ):
        self.key_roles = list(roles)
        self.unresolved: dict[str, object] = {}
        self.unmatched: dict[str, LeadMatch] = {}
        self.make_role = make_role
        self._index: dict[str, list[_Entry]] = {}
        self._cache: dict[str, list[LeadMatch]] = {}
        self._by_pk = {role.pk: role for role in self.key_roles if getattr(role, "pk", None)}
        for role in self.key_roles:
            self._add_role(role)
        for person in people:
            self._add_person(person)
        self._longest = 2 + max(
            (len(_TOKEN.findall(e.written)) for found in self._index.values() for e in found),
            default=0,
        )

    def _add(self, name: str, entry: _Entry) -> None:
        key = _compact(name)
        if key:
            self._index.setdefault(key, []).append(entry)

    def _add_role(self, role) -> None:
        label = str(role)
        for how, names in (
            (BY_TITLE, [role.title]),
            (BY_SHORT_NAME, [role.abbreviation]),
            (BY_ALIAS, list(role.aliases or [])),
        ):
            for name in filter(None, names):
                self._add(name, _Entry(_RANK[how], how, label, (role,), name))

    def _add_person(self, person) -> None:
        words = lead_key(person.name).split()
        while len(words) > 1 and words[0] in TITLES:
            words = words[1:]
        if not words:
            return
        held = person.roles.all() if hasattr(person.roles, "all") else person.roles
        held = tuple(self._by_pk.get(getattr(role, "pk", None), role) for role in held)

        def entry(how, written=person.name):
            return _Entry(_RANK[how], how, person.name, held, written)

        self._add(" ".join(words), entry(BY_PERSON))
        if len(words) > 1:
            first, last = words[0], words[-1]
            for form in (f"{last} {first}", f"{first} {last}", f"{first[0]} {last}"):
                self._add(form, entry(BY_PERSON))
            for letters in {"".join(w[0] for w in words), first[0] + last[0]}:
                self._add(letters, entry(BY_INITIALS, letters.upper()))

    @property
    def roles(self) -> list:
        """Every role: the key's, then those made for leads it does not name."""
        return self.key_roles + list(self.unresolved.values())

    def resolve(self, text: str) -> list:
        """The distinct roles named by a lead cell, in the order written."""
        found = []
        for lead in self.explain(text):
            if lead.how in (BY_TITLE, BY_SHORT_NAME, BY_ALIAS, BY_ABRIDGEMENT):
                _remember_alias(lead.roles[0], lead.written)
            roles = lead.roles
            if not roles:
                roles = self._unmatched(lead)
            for role in roles:
                if role not in found:
                    found.append(role)
        return found

    def _unmatched(self, lead: LeadMatch) -> tuple:
        if self.make_role is None:
            self.unmatched.setdefault(lead_key(lead.written), lead)
            return ()
        key = lead_key(lead.written)
        if key not in self.unresolved:
            self.unresolved[key] = self.make_role(lead.written)
        return (self.unresolved[key],)

    def explain(self, text: str) -> list[LeadMatch]:
        """Each lead of a cell, as written, with what it matched."""
        if text not in self._cache:
            self._cache[text] = self._explain(text)
        return self._cache[text]

    def _explain(self, text: str) -> list[LeadMatch]:
        tokens = _TOKEN.findall(text or "")
        leads, at = [], 0
        while at < len(tokens):
            if _is_separator(tokens[at]):
                at += 1
                continue
            stop = next((i for i in range(at, len(tokens)) if _is_hard(tokens[i])), len(tokens))
            end, found = self._longest_at(tokens, at)
            if found is None or end < stop:
                run = stop if found is not None else self._unmatched_run(tokens, at, stop)
                for until in dict.fromkeys((stop, run)):
                    written = _joined(tokens[at:until])
                    if (role := self.match(written)) is not None:
                        end, found = until, LeadMatch(written, (role,), BY_ABRIDGEMENT)
                        break
            if found is None:
                last = run
                while _is_separator(tokens[last - 1]):  # "EM +": the lead is "EM"
                    last -= 1
                end, found = run, LeadMatch(_joined(tokens[at:last]))
            leads.append(found)
            at = end
        return leads

    def _unmatched_run(self, tokens: list[str], at: int, stop: int) -> int:
        """Where a lead the key does not name ends: at "and", "&" or "+" only if the key
        names what follows ("Head of Equality and Inclusion" stays one lead)."""
        for after in range(at + 1, stop):
            if _is_separator(tokens[after - 1]) and not _is_separator(tokens[after]):
                if self._longest_at(tokens, after)[1] is not None:
                    while _is_separator(tokens[after - 1]):
                        after -= 1
                    return after
        return stop

    def _longest_at(self, tokens: list[str], at: int) -> tuple[int, LeadMatch | None]:
        for end in range(min(len(tokens), at + self._longest), at, -1):
            if _is_separator(tokens[end - 1]):
                continue
            written = _joined(tokens[at:end])
            found = self._lookup(written)
            if found is not None:
                return end, found
        return at, None

    def _lookup(self, written: str) -> LeadMatch | None:
        words = lead_key(written).split()
        entries = self._index.get("".join(words))
        if entries is None and len(words) > 1 and words[0] in TITLES:
            entries = self._index.get("".join(words[1:]))
        if not entries:
            return None
        folded = " ".join(written.split()).casefold()
        as_written = [e for e in entries if " ".join(e.written.split()).casefold() == folded]
        best = min(entry.rank for entry in entries)
        for kept in (entries, as_written, [e for e in entries if e.rank == best]):
            if kept and len({tuple(map(id, entry.roles)) for entry in kept}) == 1:
                return _matched(written, min(kept, key=lambda entry: entry.rank))
        labels = list(dict.fromkeys(entry.label for entry in entries))
        return LeadMatch(written, problem=f"could be {' or '.join(labels)}")

    def match(self, name: str):
        """The one key role ``name`` means, or None when it names none or several."""
        found = self._lookup(name)
        if found is not None:
            return found.roles[0] if len(found.roles) == 1 else None
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


def _matched(written: str, entry: _Entry) -> LeadMatch:
    person = entry.label if entry.how in (BY_PERSON, BY_INITIALS) else ""
    if not entry.roles:
        return LeadMatch(written, person=person, problem=f"{person}, who holds no role")
    return LeadMatch(written, entry.roles, entry.how, person)


def _joined(tokens: list[str]) -> str:
    text = ""
    for token in tokens:
        if token in (",", ";"):
            text += token
        else:
            text += f" {token}" if text else token
    return text.strip(" .;:-")


def _names(role) -> list[str]:
    return [name for name in (role.title, role.abbreviation, *(role.aliases or [])) if name]


def _folded(name: str) -> str:
    return " ".join(_PUNCTUATION.sub(" ", name.casefold()).split())


def _folded_names(role) -> set[str]:
    return {_folded(name) for name in _names(role)}


def _is_abridgement(short: list[str], full: list[str]) -> bool:
    """ "OD Manager" abridges "OD Programme Manager": same ends, words in order."""
    if len(short) >= len(full) or short[0] != full[0] or short[-1] != full[-1]:
        return False
    remaining = iter(full)
    return all(word in remaining for word in short)


def _remember_alias(role, written: str) -> None:
    """Keep how the plan wrote a role ("EMs") when it is not its title or abbreviation."""
    if _folded(written) not in _folded_names(role):
        role.aliases = [*(role.aliases or []), written]


def resolver_for(strategy, make_role: Callable[[str], object] | None = None) -> LeadResolver:
    """A resolver for the key of a saved strategy (its roles and people, three queries);
    ``strategy`` None, for a strategy an import would create, has an empty key."""
    from planboard.people.models import Person, Role

    if strategy is None:
        return LeadResolver([], make_role=make_role)
    return LeadResolver(
        Role.objects.filter(strategy=strategy),
        Person.objects.filter(strategy=strategy).prefetch_related("roles"),
        make_role=make_role,
    )


def distinct_leads(resolver: LeadResolver, texts: Iterable[str]) -> list[LeadMatch]:
    """Each lead the cells ``texts`` name, once (case and spacing aside), in the order
    first written, with what it matched: what an import's preview shows."""
    found: dict[str, LeadMatch] = {}
    for text in dict.fromkeys(texts):
        for lead in resolver.explain(text):
            found.setdefault(lead_key(lead.written), lead)
    return list(found.values())
