"""The public page's texts in the strategy's JSON export, so a move loses none of them.

The export's ``public`` section holds whether the strategy is published and what it
is for, each theme's summary and whether it is listed (a theme an import added is not,
until something of it is published; true when missing), and each action's switch and
summary (by ref). It is optional on import, so files written before it existed still
load. Requests for
another format hold members of the public's contact details and are not exported
(``planboard backup`` keeps them).
"""

from planboard.lib.history import create_with_history
from planboard.public.models import (
    SUMMARY_LIMIT,
    ActionPublication,
    StrategyPublication,
    ThemePublication,
)


class PublicSectionError(ValueError):
    """The ``public`` section is malformed; the message names the place."""


def export_public(strategy) -> dict:
    """The strategy's public texts, in plan order, with nothing that refers to a database id."""
    publication = StrategyPublication.objects.filter(strategy=strategy).first()
    themes = ThemePublication.objects.filter(theme__strategy=strategy).select_related("theme")
    actions = ActionPublication.objects.filter(action__theme__strategy=strategy).select_related(
        "action__theme"
    )
    return {
        "published": bool(publication and publication.published),
        "summary": publication.summary if publication else "",
        "themes": [
            {"number": t.theme.number, "summary": t.summary, "listed": t.listed}
            for t in sorted(themes, key=lambda t: t.theme.number)
        ],
        "actions": [
            {"ref": a.action.ref, "published": a.published, "summary": a.summary}
            for a in sorted(actions, key=lambda a: (a.action.theme.number, a.action.number))
        ],
    }


def import_public(strategy, section, *, themes: dict, actions: dict, user, reason) -> int:
    """Create the public texts ``section`` describes; how many actions it covers.

    ``themes`` maps theme numbers and ``actions`` refs to the rows just imported.
    Raises PublicSectionError naming the place of a bad entry.
    """
    if section is None:
        return 0
    if not isinstance(section, dict):
        raise PublicSectionError("public: expected an object")
    history = {"user": user, "reason": reason}
    if section.get("published") or section.get("summary"):
        create_with_history(
            StrategyPublication,
            [
                StrategyPublication(
                    strategy=strategy,
                    published=_flag(section, "published", "public"),
                    summary=_text(section, "public"),
                )
            ],
            **history,
        )
    rows = []
    for at, item in enumerate(_list(section, "themes")):
        where = f"public.themes[{at}]"
        theme = themes.get(_get(item, "number", where))
        if theme is None:
            raise PublicSectionError(f"{where}.number: no theme {item.get('number')!r}")
        listed = _flag(item, "listed", where, default=True)
        rows.append(ThemePublication(theme=theme, summary=_text(item, where), listed=listed))
    create_with_history(ThemePublication, rows, **history)
    rows = []
    for at, item in enumerate(_list(section, "actions")):
        where = f"public.actions[{at}]"
        action = actions.get(_get(item, "ref", where))
        if action is None:
            raise PublicSectionError(f"{where}.ref: no action {item.get('ref')!r}")
        published = _flag(item, "published", where)
        summary = _text(item, where)
        if published and not summary:
            raise PublicSectionError(f"{where}: a published action needs a summary")
        rows.append(ActionPublication(action=action, published=published, summary=summary))
    create_with_history(ActionPublication, rows, **history)
    return len(rows)


def _list(section, key):
    value = section.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise PublicSectionError(f"public.{key}: expected a list of objects")
    return value


def _get(item, key, where):
    if key not in item:
        raise PublicSectionError(f"{where}: {key} is missing")
    return item[key]


def _flag(item, key, where, *, default=False) -> bool:
    value = item.get(key, default)
    if not isinstance(value, bool):
        raise PublicSectionError(f"{where}.{key}: expected true or false")
    return value


def _text(item, where) -> str:
    value = item.get("summary") or ""
    if not isinstance(value, str):
        raise PublicSectionError(f"{where}.summary: expected text")
    if len(value) > SUMMARY_LIMIT:
        raise PublicSectionError(f"{where}.summary: longer than {SUMMARY_LIMIT} characters")
    return value
