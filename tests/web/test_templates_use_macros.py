"""Templates show tables, summary lists, dates and status tags through shared pieces.

Tables and summary lists come from the macros of ``web/macros.html``, dates from the
``date`` filter, and a status's colour from its choices, so a change to any of them is
made once. These tests fail when a template goes back to writing one out by hand.
"""

import re
from pathlib import Path

import pytest

import planboard

PACKAGE = Path(planboard.__file__).resolve().parent
MACROS = PACKAGE / "web" / "jinja2" / "web" / "macros.html"
TEMPLATES = sorted(path for path in PACKAGE.glob("*/jinja2/**/*") if path.is_file())
BY_HAND = {
    "a table": re.compile(r"<table\b"),
    "a summary list row": re.compile(r"nhsuk-summary-list__row"),
    "a date formatted with strftime": re.compile(r"strftime\("),
    "a colour looked up in a dictionary": re.compile(r"nhsuk-tag--\{\{\s*\{"),
}


def test_the_templates_are_found():
    names = {path.relative_to(PACKAGE).as_posix() for path in TEMPLATES}
    assert "web/jinja2/web/plan.html" in names
    assert "papers/jinja2/papers/body.html" in names
    assert "public/jinja2/public/strategy.html" in names
    assert len(names) > 30


@pytest.mark.parametrize("what", BY_HAND)
def test_no_template_writes_it_by_hand(what):
    found = [
        path.relative_to(PACKAGE).as_posix()
        for path in TEMPLATES
        if path != MACROS and BY_HAND[what].search(path.read_text(encoding="utf-8"))
    ]
    assert found == [], f"{what} written by hand in {found}"


def test_the_macros_file_holds_the_only_table_and_summary_list_row():
    text = MACROS.read_text(encoding="utf-8")
    assert BY_HAND["a table"].search(text)
    assert BY_HAND["a summary list row"].search(text)
    assert not BY_HAND["a date formatted with strftime"].search(text)
