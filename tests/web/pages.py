"""Reading rendered pages in tests: the plan's action rows, a form's fields."""

import re
from html.parser import HTMLParser

ACTION_ROW = re.compile(r'<tr class="nhsuk-table__row pb-action-row" id="action-(\d+)-(\d+)"')


def action_refs(response) -> list[str]:
    """The refs of the action rows of a plan page, in the order shown ("1.1", "1.2" ...)."""
    return [f"{theme}.{number}" for theme, number in ACTION_ROW.findall(response.text)]


class _FormFields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.data = {}
        self._select = None
        self._multiple = False
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            kind = attrs.get("type")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data[name] = attrs.get("value") or ("on" if kind == "checkbox" else "")
        elif tag == "select" and name:
            self._select = name
            self._multiple = "multiple" in attrs
            if not self._multiple:  # a browser sends nothing for a multiple with none chosen
                self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            if self._multiple:
                self.data.setdefault(self._select, []).append(attrs.get("value", ""))
            else:
                self.data[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data.removeprefix("\n")


def form_data(html: str) -> dict[str, str | list[str]]:
    """The fields a browser would submit from ``html``: checked boxes, selected options
    (a list for a multiple select)."""
    parser = _FormFields()
    parser.feed(html)
    return parser.data


class _Errors(HTMLParser):
    """The NHS.UK error summary's links and the inline error messages of a page."""

    def __init__(self):
        super().__init__()
        self.summary = []
        self.inline = []
        self._in_summary = 0
        self._link = None
        self._message = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if "nhsuk-error-summary" in classes:
            self._in_summary = 1
        elif self._in_summary and tag == "div":
            self._in_summary += 1
        if self._in_summary and tag in ("a", "li"):
            self._link = [attrs.get("href") if tag == "a" else None, ""]
        if "nhsuk-error-message" in classes:
            self._message = ""
            self._depth = 0
        elif self._message is not None and tag == "span":
            self._depth += 1

    def handle_endtag(self, tag):
        if self._in_summary and tag == "div":
            self._in_summary -= 1
        if self._link is not None and tag in ("a", "li"):
            href, text = self._link
            if text.strip() and (tag == "a" or href is None):
                self.summary.append((href, " ".join(text.split())))
            self._link = None
        if self._message is not None and tag == "span" and self._depth:
            self._depth -= 1
        elif self._message is not None and tag == "span":
            text = " ".join(self._message.split()).removeprefix("Error: ")
            self.inline.append(text)
            self._message = None

    def handle_data(self, data):
        if self._link is not None:
            self._link[1] += data
        if self._message is not None:
            self._message += data


def errors(html: str) -> tuple[list[tuple[str | None, str]], list[str]]:
    """The error summary as (link, text) pairs, and the inline error messages' texts."""
    parser = _Errors()
    parser.feed(html)
    return parser.summary, parser.inline


def date_boxes(name: str, day) -> dict[str, str]:
    """What a person types into NHS.UK's date input ``name`` for ``day`` (a date, or a
    tuple of day, month and year as typed)."""
    if hasattr(day, "year"):
        day = (str(day.day), str(day.month), str(day.year))
    return {f"{name}-day": day[0], f"{name}-month": day[1], f"{name}-year": day[2]}
