"""The recovery-check trend chart: one line per score over the periods.

matplotlib's object API on the Agg canvas (no pyplot global state), so it runs safely in
a worker thread: callers use ``await asyncio.to_thread(render_trend, ...)`` to keep it off
the event loop. Fixed margins and fast PNG compression, as the check-in chart
(bench/NOTES.md).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

USE_COLOR = "#b03a2e"
RISK_COLOR = "#d9822b"
PROTECTIVE_COLOR = "#2a7ab0"
MARGINS = {"left": 0.06, "right": 0.99, "top": 0.9, "bottom": 0.1}
PNG_OPTIONS = {"compress_level": 1}


@dataclass(frozen=True, slots=True)
class Series:
    label: str
    values: Sequence[float | None]  # one per period; None leaves a gap
    color: str
    marker: str = "o"


def trend_figure(periods: Sequence[str], series: Sequence[Series], *, title: str) -> Figure:
    figure = Figure(figsize=(8, 3.6), dpi=100)
    FigureCanvasAgg(figure)
    figure.subplots_adjust(**MARGINS)
    axes = figure.add_subplot(1, 1, 1)
    index = list(range(len(periods)))
    top = 1.0
    for line in series:
        values = [math.nan if v is None else float(v) for v in line.values]
        top = max([top, *(v for v in values if not math.isnan(v))])
        axes.plot(index, values, marker=line.marker, color=line.color, label=line.label)
    axes.set_ylim(-0.5, top * 1.15 + 0.5)
    step = max(1, len(periods) // 8)
    axes.set_xticks(index[::step])
    axes.set_xticklabels(list(periods)[::step], fontsize=8)
    axes.set_xlim(-0.5, max(len(periods) - 0.5, 0.5))
    axes.grid(alpha=0.3)
    axes.set_title(title, fontsize=11)
    axes.legend(loc="upper left", fontsize=8, ncols=3, frameon=False)
    return figure


def render_trend(periods: Sequence[str], series: Sequence[Series], *, title: str) -> bytes:
    """A PNG of ``series`` over ``periods``."""
    buffer = io.BytesIO()
    trend_figure(periods, series, title=title).savefig(buffer, format="png", pil_kwargs=PNG_OPTIONS)
    return buffer.getvalue()
