"""What the paper says about the strategy as a whole and the bodies that govern it.

The strategy's title, period and approval come from the sentence most papers use
("The X Strategy 2016-2021 was approved by the Board of Directors in July 2016"), the
plan's title and version from the plan heading. Committees are the paper's own meeting,
the body the summary reports to, and the bodies the summary names; an abbreviation used
alone (EDG) is expanded when the paper spells it out anywhere, in brackets or by
initials. Nothing is guessed: what the paper does not say is left blank.
"""

import re

from planboard.imports.key import expansion, initials_match
from planboard.imports.parsed import CoverSheetInfo, ParsedCommittee, StrategyInfo
from planboard.imports.text import normalise_dashes, one_line

_PLAN_WORD = re.compile(r"\bplan\b", re.IGNORECASE)
_LABEL_LINE = re.compile(r"^\s*[A-Za-z][A-Za-z ]{1,30}:\s")
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s")
_VERSION = re.compile(r"\s*[-–—,]?\s*\b(?P<version>v(?:ersion)?\s*\d+(?:\.\d+)*\b.*)$", re.I)
_PERIOD = r"(?:19|20)\d\d\s*[-–/]\s*(?:(?:19|20)?\d\d)"
_APPROVED = re.compile(
    rf"(?:\bthe\s+)?(?P<name>(?:[A-Z][\w'&-]*\s+){{0,8}}Strategy)\s*\(?(?P<period>{_PERIOD})?\)?"
    r"\s+(?:was|were|has been)\s+approved\s+by\s+(?:the\s+)?(?P<body>[A-Z][^.,;]*?)"
    r"\s+(?:in|on)\s+(?P<when>(?:\d{1,2}\s+)?[A-Z][a-z]+\s+\d{4})"
)
_PLAN_SUFFIX = re.compile(r"\s*[-–:]?\s*(?:implementation|action|delivery)?\s*plan\b.*$", re.I)
_BODY = re.compile(
    r"(?P<name>(?:[A-Z][\w&'’-]*\s+){0,5}(?:Committee|Group|Board|Forum|Council|Panel)"
    r"(?:\s+of\s+(?:the\s+)?[A-Z][\w'-]*)?)(?:\s*\((?P<abbr>[A-Za-z]{2,10})\))?"
)
_LEADING = {"the", "this", "that", "our", "each", "every", "a", "an", "its", "their"}
_ABBREVIATION = re.compile(r"\b[A-Z][A-Za-z]*[A-Z]\b")
_REPORTED_TO = re.compile(r"\b(?:to|through)\s+$", re.IGNORECASE)
_FULL_TRUST = re.compile(
    r"\b(?P<name>(?:[A-Z][\w&'-]*\s+(?:and\s+)?){1,8}NHS\s+(?:Foundation\s+)?Trust)\b"
)
_NHS_DOMAIN = re.compile(r"@(?P<label>[a-z0-9-]+)\.nhs\.uk\b", re.IGNORECASE)


def is_plan_heading(line: str) -> bool:
    text = one_line(line)
    return (
        "\t" not in line
        and bool(_PLAN_WORD.search(text))
        and len(text) <= 150
        and not text.endswith((".", ":", ";"))
        and not text.startswith(("-", "•", "*"))
        and not _LABEL_LINE.match(text)
        and not _NUMBERED.match(text)
    )


def read_plan_heading(line: str, strategy: StrategyInfo) -> None:
    """ "X Strategy - Implementation Plan v2 – January 2017" -> plan title and version."""
    text = normalise_dashes(one_line(line))
    if match := _VERSION.search(text):
        strategy.plan_version = normalise_dashes(match.group("version"))
        text = text[: match.start()]
    strategy.plan_title = text.strip(" -,")


def read_strategy(text: str, strategy: StrategyInfo, cover: CoverSheetInfo) -> None:
    """The strategy's title, period and approval, from the approval sentence or the headings."""
    flat = " ".join(text.split())
    lines = (" ".join(line.split()) for line in text.splitlines())
    if match := next(filter(None, map(_APPROVED.search, lines)), None):
        name = _tidy_name(match.group("name"))
        if match.group("period"):
            strategy.period = _tidy_period(match.group("period"))
        strategy.approval = f"{match.group('body').strip()}, {match.group('when')}"
    else:
        candidates = [strategy.plan_title, cover.subject, cover.title]
        name = next((_PLAN_SUFFIX.sub("", c).strip() for c in candidates if c), "")
    if name and not strategy.period:
        if found := re.search(rf"{re.escape(name)}\s*\(?({_PERIOD})", flat):
            strategy.period = _tidy_period(found.group(1))
    strategy.title = f"{name} {strategy.period}".strip() if name else ""


def read_organisation(text: str) -> str:
    """The trust's full name when the paper gives it, else its abbreviation if its email
    domain confirms it (shsc.nhs.uk and "SHSC"), else blank."""
    if match := _FULL_TRUST.search(text):
        return " ".join(match.group("name").split())
    words = set(re.findall(r"\b[A-Z]{2,10}\b", text))
    for match in _NHS_DOMAIN.finditer(text):
        if match.group("label").upper() in words:
            return match.group("label").upper()
    return ""


def find_committees(text: str, cover: CoverSheetInfo) -> list[ParsedCommittee]:
    """The governance bodies of the paper, lowest first, the paper's own meeting last."""
    flat = " ".join(text.split())
    found: dict[str, ParsedCommittee] = {}
    governance = [cover.timetable, cover.purpose, cover.summary, cover.next_steps]
    governance += [cover.required_actions, cover.monitoring]
    for passage in map(_without_possessives, governance):
        for match in _BODY.finditer(passage):
            _add(found, _tidy_name(match.group("name")), match.group("abbr") or "", flat)
        for match in _ABBREVIATION.finditer(passage):
            _add_abbreviation(found, match.group(), passage[: match.start()], flat)
    ends = [one_line(cover.report_to), cover.meeting]
    for name in filter(None, ends):
        _add(found, _tidy_name(name), "", flat)
    order = [name.casefold() for name in ends if name]
    return sorted(found.values(), key=lambda c: _rank(c, order))


def _rank(committee: ParsedCommittee, order: list[str]) -> int:
    name = committee.name.casefold()
    return order.index(name) + 1 if name in order else 0


def _add(found: dict, name: str, abbreviation: str, flat: str) -> None:
    if not name:
        return
    committee = found.get(name.casefold())
    if committee is None:
        committee = found[name.casefold()] = ParsedCommittee(name)
    committee.abbreviation = committee.abbreviation or abbreviation or _abbreviation(name, flat)


def _add_abbreviation(found: dict, token: str, before: str, flat: str) -> None:
    """An abbreviation is a body when the paper spells it out as one, or reports go to it."""
    if any(token in (c.abbreviation, c.name) for c in found.values()):
        return
    name = _spelled_out(token, flat)
    if name:
        _add(found, name, token, flat)
    elif _REPORTED_TO.search(before):
        found.setdefault(token.casefold(), ParsedCommittee(token, token))


def _spelled_out(token: str, flat: str) -> str:
    if match := re.search(rf"([A-Z][\w'&\s-]{{2,80}}?)\s*\(\s*{re.escape(token)}\s*\)", flat):
        words = expansion(match.group(1).split(), token)
        if words and _BODY.fullmatch(" ".join(words)):
            return " ".join(words)
    for match in _BODY.finditer(flat):
        name = _tidy_name(match.group("name"))
        if initials_match(name.split(), token):
            return name
    return ""


def _abbreviation(name: str, flat: str) -> str:
    """An abbreviation the paper uses for ``name``: "(X)" after it, or its initials (BoD)."""
    if match := re.search(rf"{re.escape(name)}\s*\((?P<abbr>[A-Za-z]{{2,10}})\)", flat):
        return match.group("abbr")
    for token in dict.fromkeys(_ABBREVIATION.findall(flat)):
        if initials_match(name.split(), token):
            return token
    return ""


def _tidy_name(name: str) -> str:
    words = one_line(name).split()
    while words and words[0].casefold() in _LEADING:
        words = words[1:]
    return " ".join(words)


def _without_possessives(text: str) -> str:
    """ "February's Quality Assurance Committee" -> "Quality Assurance Committee"."""
    return re.sub(r"\b[A-Z]\w*['’]s\s+", "", text or "")


def _tidy_period(period: str) -> str:
    return re.sub(r"\s*[-–/]\s*", "-", period)
