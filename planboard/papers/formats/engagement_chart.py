"""The engagement section's chart: activities at each level of involvement in each of
the last four quarters, as groups of bars.

Drawn like the feedback chart (``feedback_chart``): matplotlib's ``Figure`` on the Agg
canvas, each level in the solid NHS.UK colour of its tag (``Level.colour``), a hatch
of its own and the count written on each bar so colour is never the only cue, and the
same bytes for the same figures. The figures are in the table printed with it; the alt
text (``EngagementSection.chart_description``) points there.
"""

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from planboard.papers.engagement_section import LEVEL_LABELS, LEVELS
from planboard.papers.formats.charts import COLOURS, DEFAULT_COLOUR, FORMATS, HATCHES, TEXT, _ink

WIDTH = 0.16


def _colour(level: str) -> str:
    from planboard.engagement.models import Level

    return COLOURS.get(str(Level(level).colour), DEFAULT_COLOUR)


def engagement_chart(section, fmt: str = "svg") -> bytes:
    """The chart of ``section`` (an ``EngagementSection``) as SVG or PNG bytes."""
    if fmt not in FORMATS:
        raise ValueError(f'Unknown chart format "{fmt}": use svg or png.')
    figure = Figure(figsize=(7, 3.2), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    quarters = section.trend
    positions = range(len(quarters))
    middle = (len(LEVELS) - 1) / 2
    for index, (level, label) in enumerate(zip(LEVELS, LEVEL_LABELS, strict=True)):
        colour = _colour(level)
        values = [q.counts[index] for q in quarters]
        bars = axes.bar(
            [p + (index - middle) * WIDTH for p in positions],
            values,
            WIDTH,
            label=label,
            facecolor=colour,
            edgecolor=TEXT,
            linewidth=0.6,
            hatch=HATCHES[index],
            hatchcolor=(1, 1, 1, 0.45) if _ink(colour) != TEXT else (0, 0, 0, 0.45),
        )
        for bar, value in zip(bars, values, strict=True):
            bar.set_gid(f"{level}-{bar.get_x():.2f}")
            axes.annotate(
                str(value),
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=8,
                fontweight="bold",
                color=TEXT,
            )
    axes.set_xticks(list(positions), [q.name for q in quarters])
    axes.set_ylim(0, max([1, *(max(q.counts) for q in quarters)]) * 1.18)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel("Activities", fontsize=10, color=TEXT)
    axes.tick_params(colors=TEXT, labelsize=9)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.legend(loc="outside lower center", ncols=5, frameon=False, fontsize=9)
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {}
    figure.savefig(buffer, format=fmt, dpi=150, metadata=metadata, facecolor="white")
    return buffer.getvalue()
