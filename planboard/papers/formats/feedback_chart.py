"""The feedback section's chart: items received and changes made in each of the last
four quarters, as pairs of bars.

Drawn like the RAG chart (``charts``): matplotlib's ``Figure`` on the Agg canvas, the
same solid NHS.UK colours, a hatch on one series and the count written on each bar so
colour is never the only cue, and the same bytes for the same figures. The figures are
in the table printed with it; the alt text (``FeedbackSection.chart_description``)
points there.
"""

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from planboard.papers.formats.charts import COLOURS, FORMATS, TEXT, _ink

SERIES = (
    ("Items received", "received", COLOURS["blue"], ""),
    ("Changes made", "changes_made", COLOURS["green"], "//"),
)
WIDTH = 0.38


def feedback_chart(section, fmt: str = "svg") -> bytes:
    """The chart of ``section`` (a ``FeedbackSection``) as SVG or PNG bytes."""
    if fmt not in FORMATS:
        raise ValueError(f'Unknown chart format "{fmt}": use svg or png.')
    figure = Figure(figsize=(7, 3), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    quarters = section.trend
    positions = range(len(quarters))
    for offset, (label, name, colour, hatch) in zip((-WIDTH / 2, WIDTH / 2), SERIES, strict=True):
        values = [getattr(q, name) for q in quarters]
        bars = axes.bar(
            [p + offset for p in positions],
            values,
            WIDTH,
            label=label,
            facecolor=colour,
            edgecolor=TEXT,
            linewidth=0.6,
            hatch=hatch,
            hatchcolor=(1, 1, 1, 0.45) if _ink(colour) != TEXT else (0, 0, 0, 0.45),
        )
        for bar, value in zip(bars, values, strict=True):
            bar.set_gid(f"{name}-{bar.get_x():.2f}")
            axes.annotate(
                str(value),
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=9,
                fontweight="bold",
                color=TEXT,
            )
    axes.set_xticks(list(positions), [q.quarter for q in quarters])
    axes.set_ylim(0, max([1, *(max(q.received, q.changes_made) for q in quarters)]) * 1.15)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel("Items", fontsize=10, color=TEXT)
    axes.tick_params(colors=TEXT, labelsize=9)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.legend(loc="outside lower center", ncols=2, frameon=False, fontsize=9)
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {}
    figure.savefig(buffer, format=fmt, dpi=150, metadata=metadata, facecolor="white")
    return buffer.getvalue()
