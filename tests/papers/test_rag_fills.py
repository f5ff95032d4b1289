"""The RAG cells' fills in both stylesheets of the paper (the web page and HTML file,
and the PDF): every tag colour a level may have is filled, with text of a contrast of at
least 4.5:1, and the cells that are not a level (not rated, not in the key) look unlike
any level."""

import re
from pathlib import Path

import pytest

import planboard
from planboard.plans.models import TagColour

STATIC = Path(planboard.__file__).resolve().parent / "web" / "static" / "planboard"
RULE = re.compile(r"\.pb-rag--([a-z-]+)\s*\{([^}]*)\}")


def _fills(name: str) -> dict[str, dict[str, str]]:
    text = (STATIC / name).read_text(encoding="utf-8")
    rules = {}
    for colour, body in RULE.findall(text):
        declarations = (line.split(":", 1) for line in body.split(";") if ":" in line)
        rules[colour] = {key.strip(): value.strip() for key, value in declarations}
    return rules


def _luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("stylesheet", ["paper.css", "paper-pdf.css"])
def test_every_level_colour_is_a_solid_fill_with_readable_text(stylesheet):
    fills = _fills(stylesheet)
    for colour in [*TagColour.values, "unrated", "unkeyed"]:
        rule = fills[colour]
        ratio = _contrast(rule["background-color"], rule["color"])
        assert ratio >= 4.5, (stylesheet, colour, round(ratio, 2))
    # Levels are filled; "not in key" is grey and dashed, unlike the grey level.
    assert fills["green"]["background-color"] != "#fff"
    assert fills["unkeyed"]["background-color"] != fills["grey"]["background-color"]
    assert "dashed" in " ".join(fills["unkeyed"].values())
    assert "dashed" not in " ".join(fills["grey"].values())
    # "Not rated" is plain white, and a white level is ruled round.
    assert fills["unrated"]["background-color"] == "#fff"
    assert "solid" in " ".join(fills["white"].values())


def test_both_stylesheets_fill_the_same_colours():
    web, pdf = _fills("paper.css"), _fills("paper-pdf.css")
    assert {c: r["background-color"] for c, r in web.items()} == {
        c: r["background-color"] for c, r in pdf.items()
    }
