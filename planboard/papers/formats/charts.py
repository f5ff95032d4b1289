"""The paper's chart: how many actions of each theme have each rating.

One horizontal stacked bar per theme, a segment per rating in the colour of its tag,
with a hatch pattern and the count written on the segment so colour is never the only
cue. The figures themselves are in the "RAG ratings by theme" table printed with it;
the chart is a picture of that table, so its alt text points there.

Drawn with matplotlib's object-oriented ``Figure`` (no pyplot, so no global figure
state and safe in threads) on the Agg canvas. The same paper always gives the same
bytes: SVG ids come from a fixed salt and no creation date is written.
"""

import io
import os
import textwrap

from django.conf import settings

if not os.environ.get("MPLCONFIGDIR"):
    # matplotlib keeps its font cache in its config folder, by default under $HOME,
    # which a service user may not have.
    _config = settings.VAR_DIR / "matplotlib"
    _config.mkdir(parents=True, exist_ok=True)
    os.environ["MPLCONFIGDIR"] = str(_config)

import matplotlib  # noqa: E402 - after MPLCONFIGDIR is set
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from planboard.papers.formats.colours import SOLID  # noqa: E402

# The SVG backend reads these from the global rcParams as it writes, so they are set
# once here rather than in an rc_context another thread could undo mid-render. A fixed
# salt makes clip-path and hatch ids the same each time (a random one otherwise); text
# as <text> rather than glyph outlines makes the SVG a third the size and quick for
# WeasyPrint to draw, and falls back to the reader's sans-serif font.
matplotlib.rcParams.update({"svg.hashsalt": "planboard", "svg.fonttype": "none"})

FORMATS = ("svg", "png")

#: Solid versions of the NHS.UK tag colours (``TagColour``), strong enough to read as
#: bars; the tags themselves use pale tints that would blur together in a chart.
COLOURS = {name: f"#{fill.lower()}" for name, fill in SOLID.items()}
DEFAULT_COLOUR = COLOURS["grey"]
TEXT = "#212b32"
# Line hatches only: dotted ones are drawn dot by dot and make the SVG ten times larger.
HATCHES = ("", "//", "\\\\", "xx", "--", "||", "++", "/-", "\\-", "|-")
TITLE_WIDTH = 34  # characters of a theme's label on the axis
SEGMENT_MIN_SHARE = 0.035  # narrower segments are left without a count


def rag_chart(paper, fmt: str = "svg") -> bytes:
    """The RAG-by-theme chart of ``paper`` as SVG or PNG bytes."""
    if fmt not in FORMATS:
        raise ValueError(f'Unknown chart format "{fmt}": use svg or png.')
    themes = paper.glance.by_theme
    figure = Figure(figsize=(7, 1.3 + 0.4 * max(len(themes), 1)), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    if any(count.count for count in paper.glance.counts):
        _bars(axes, paper.glance)
    else:
        axes.set_axis_off()
        axes.text(0.5, 0.5, "No actions to chart", ha="center", va="center", color=TEXT)
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {}
    figure.savefig(buffer, format=fmt, dpi=150, metadata=metadata, facecolor="white")
    return buffer.getvalue()


def chart_alt(paper) -> str:
    """Short alt text for the chart: what it shows and where its figures are."""
    totals = [c for c in paper.glance.counts if c.count]
    if not totals:
        return "Bar chart of RAG ratings by theme: there are no actions. See the table below."
    actions = sum(c.count for c in totals)
    parts = ", ".join(f"{c.count} {c.label}" for c in totals)
    return (
        f"Bar chart of RAG ratings by theme ({actions} actions: {parts}). "
        "The figures for each theme are in the table below."
    )


def _bars(axes, glance):
    """A stacked bar per theme, top to bottom in theme order, and the legend below."""
    themes = glance.by_theme
    levels = [(i, c) for i, c in enumerate(glance.counts) if c.count]
    widest = max(sum(c.count for c in theme.counts) for theme in themes)
    positions = range(len(themes))
    for index, level in levels:
        look = _look(index, level)
        for position, theme in zip(positions, themes, strict=True):
            count = theme.counts[index].count
            if not count:
                continue
            left = sum(c.count for c in theme.counts[:index])
            (bar,) = axes.barh(position, count, left=left, height=0.7, linewidth=0.6, **look)
            bar.set_gid(f"segment-{theme.number}-{index}")
            if count / widest >= SEGMENT_MIN_SHARE:
                axes.text(
                    left + count / 2,
                    position,
                    str(count),
                    ha="center",
                    va="center",
                    fontsize=9,
                    fontweight="bold",
                    color=_ink(look["facecolor"]),
                    bbox={"boxstyle": "round,pad=0.15", "fc": look["facecolor"], "ec": "none"},
                )
    axes.set_yticks(list(positions), [_short(t.number, t.title) for t in themes])
    axes.invert_yaxis()
    axes.set_xlim(0, widest)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("Actions", fontsize=10, color=TEXT)
    axes.tick_params(colors=TEXT, labelsize=9)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    handles = [Patch(label=level.label, **_look(index, level)) for index, level in levels]
    axes.figure.legend(
        handles=handles,
        loc="outside lower center",
        ncols=min(len(handles), 5),
        frameon=False,
        fontsize=9,
    )


def _look(index: int, level) -> dict:
    """The fill, outline and hatch of the level at ``index`` of the counts."""
    colour = COLOURS.get(level.colour, DEFAULT_COLOUR)
    return {
        "facecolor": colour,
        "edgecolor": TEXT,
        "hatch": HATCHES[index % len(HATCHES)],
        "hatchcolor": (*to_rgb(_ink(colour)), 0.45),
    }


def _short(number: int, title: str) -> str:
    """The theme's number and title, shortened to one line (the table has it whole).

    One line, because the SVG's text is set in the reader's font, and only a single
    line stays right-aligned against the axis whatever that font's widths.
    """
    return textwrap.shorten(f"{number}. {title}", TITLE_WIDTH, placeholder=" …")


def _ink(hex_colour: str) -> str:
    """White or dark text, whichever contrasts more with ``hex_colour``."""
    return "#ffffff" if _contrast(hex_colour, "#ffffff") >= _contrast(hex_colour, TEXT) else TEXT


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _luminance(hex_colour: str) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(hex_colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
