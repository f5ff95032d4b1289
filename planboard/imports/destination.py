"""Where an import's rows go: a theme of the strategy, a new theme, or a new strategy.

The import page asks, and keeps the answer with the upload until it is confirmed. Rows
whose ref names a theme ("2.3") keep that theme whatever is chosen; the choice is where
the other rows go (a bare number such as "3", or no ref at all). Nothing is named after
the file: a new theme or strategy takes the name the person gave, and themes a ref
names that the strategy lacks are called "Theme N" until someone renames them.
"""

from dataclasses import dataclass

from django.utils.text import slugify

from planboard.lib.services import ServiceError
from planboard.plans.models import Strategy, Theme

INTO_THEME = "theme"
INTO_NEW_THEME = "new-theme"
INTO_NEW_STRATEGY = "new-strategy"
CHOICES = {
    INTO_THEME: "A theme of this strategy",
    INTO_NEW_THEME: "A new theme",
    INTO_NEW_STRATEGY: "A new strategy",
}
TITLE_LIMIT = 300
SLUG_LIMIT = 80


class DestinationError(ServiceError):
    """A choice of where the rows go that cannot be taken; names the field it is about."""


@dataclass(frozen=True)
class Destination:
    """A checked choice. ``theme`` is the existing theme, for ``INTO_THEME``."""

    into: str
    theme: Theme | None = None
    name: str = ""
    slug: str = ""

    def as_json(self) -> dict:
        if self.into == INTO_THEME:
            return {"into": self.into, "theme": self.theme.pk}
        return {"into": self.into, "name": self.name}

    def describe(self) -> str:
        """In a sentence's end: "Rows without a theme in their ref go into ..."."""
        if self.into == INTO_THEME:
            return f"theme {self.theme.number}, {self.theme.title}"
        if self.into == INTO_NEW_THEME:
            return f"a new theme, {self.name}"
        return f"theme 1 of a new strategy, {self.name} (at /strategies/{self.slug}/)"


def default_choice(strategy) -> dict:
    """The choice offered first: the strategy's first theme; a new "Theme 1" if it has
    none (never a theme named after the file)."""
    first = strategy.themes.order_by("number").first()
    if first is None:
        return {"into": INTO_NEW_THEME, "name": "Theme 1"}
    return {"into": INTO_THEME, "theme": first.pk}


def check_destination(strategy, choice: dict | None) -> Destination:
    """The choice (``{"into": ..., "theme": pk}`` or ``{"into": ..., "name": ...}``) as a
    Destination; ``DestinationError`` naming the field when it cannot be taken. An empty
    choice is the default."""
    choice = choice or default_choice(strategy)
    into = choice.get("into")
    if into == INTO_THEME:
        return Destination(into, theme=check_theme(strategy, choice.get("theme")))
    if into == INTO_NEW_THEME:
        return Destination(into, name=check_theme_name(strategy, choice.get("name")))
    if into == INTO_NEW_STRATEGY:
        name = check_strategy_name(choice.get("name"))
        return Destination(into, name=name, slug=slugify(name)[:SLUG_LIMIT].strip("-"))
    raise DestinationError("Choose where the rows without a theme go", "into")


def check_theme(strategy, pk) -> Theme:
    theme = None
    if str(pk or "").isdigit():
        theme = strategy.themes.filter(pk=int(pk)).first()
    if theme is None:
        raise DestinationError("Choose a theme of this strategy", "theme")
    return theme


def check_theme_name(strategy, name) -> str:
    """The new theme's name, tidied; ``strategy`` is None for one not made yet."""
    name = " ".join(str(name or "").split())
    if not name:
        raise DestinationError("Enter a name for the new theme", "theme_name")
    if len(name) > TITLE_LIMIT:
        raise DestinationError(
            f"The theme's name must be {TITLE_LIMIT} characters or fewer", "theme_name"
        )
    if strategy is not None and strategy.themes.filter(title__iexact=name).exists():
        raise DestinationError(
            f'The strategy already has a theme called "{name}": choose it instead', "theme_name"
        )
    return name


def check_strategy_name(name) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        raise DestinationError("Enter a name for the new strategy", "strategy_name")
    if len(name) > TITLE_LIMIT:
        raise DestinationError(
            f"The strategy's name must be {TITLE_LIMIT} characters or fewer", "strategy_name"
        )
    slug = slugify(name)[:SLUG_LIMIT].strip("-")
    if not slug:
        raise DestinationError(
            "The strategy's name needs letters or digits for its web address", "strategy_name"
        )
    if Strategy.objects.filter(slug=slug).exists():
        raise DestinationError(
            f"A strategy at /strategies/{slug}/ already exists: choose another name",
            "strategy_name",
        )
    return name


def settle(rows: list, destination: Destination, themes: list[int]) -> dict[int, str]:
    """Put the rows read without a theme (read as theme 0) into the destination's theme;
    the titles of the themes the import may create (others are "Theme N").

    ``themes`` are the numbers of the strategy's themes (none for a new strategy).
    """
    titles = {}
    if destination.into == INTO_THEME:
        number = destination.theme.number
    elif destination.into == INTO_NEW_THEME:
        number = max([*themes, *(row.theme for row in rows)], default=0) + 1
        titles[number] = destination.name
    else:
        number = 1
    for row in rows:
        if row.theme == 0:
            row.theme = number
    return titles
