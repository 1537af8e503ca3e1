"""The history chart shows missed days (a marker each), and the cog hands it the right ones."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from unittest import mock

from cogs.checkins import _interactions
from cogs.checkins._chart import MISSED_LABEL, chart_figure, render_chart
from tests.cogs.checkins_helpers import enroll, jump_to, submit
from tests.harness import program_world

DAYS = [date(2026, 3, 1) + timedelta(days=i) for i in range(7)]


def test_missed_days_get_a_marker_and_break_the_lines():
    points = {DAYS[0]: (6, 2), DAYS[1]: (5, 3), DAYS[4]: (7, 1)}
    missed = [DAYS[2], DAYS[3], DAYS[5]]
    figure = chart_figure(DAYS, points, missed, title="t")
    (axes,) = figure.axes
    (markers,) = [c for c in axes.collections if c.get_label() == MISSED_LABEL]
    assert sorted(x for x, _ in markers.get_offsets()) == [2, 3, 5]
    mood, craving = axes.get_lines()
    assert [math.isnan(y) for y in mood.get_ydata()] == [d not in points for d in DAYS]
    assert list(craving.get_ydata())[4] == 1
    labels = [t.get_text() for t in axes.get_legend().get_texts()]
    assert MISSED_LABEL in labels


def test_no_missed_days_no_marker():
    figure = chart_figure(DAYS, {d: (5, 5) for d in DAYS}, [], title="t")
    assert not [c for c in figure.axes[0].collections if c.get_label() == MISSED_LABEL]


async def test_history_passes_the_missed_days_to_the_chart_off_the_event_loop(tmp_path):
    async with program_world(tmp_path, cogs=("clients", "checkins")) as w:
        alex = w.clients[0]
        await enroll(w, alex)  # program start 2026-03-02 (New York)
        for day in (3, 5):
            await jump_to(w, datetime(2026, 3, day, 15, 0, tzinfo=UTC))
            await submit(w, alex)
        await jump_to(w, datetime(2026, 3, 6, 15, 0, tzinfo=UTC))
        seen: list[tuple[object, ...]] = []
        real = _interactions.asyncio.to_thread

        async def spy(fn, *args, **kwargs):
            seen.append((fn, *args))
            return await real(fn, *args, **kwargs)

        with mock.patch.object(_interactions.asyncio, "to_thread", spy):
            result = await alex.slash(w.cohort, "checkin history")
        messages = [m for m in (result.response, *result.followups) if m is not None]
        assert all(m.ephemeral for m in messages)
        assert [a.filename for m in messages for a in m.attachments] == ["checkins.png"]
        ((fn, days, points, missed),) = seen
        assert fn is _interactions.render_chart
        assert days[-1] == date(2026, 3, 6) and len(days) == 30
        assert set(points) == {date(2026, 3, 3), date(2026, 3, 5)}
        # Before the program start nothing is "missed"; today is still open.
        assert missed == [date(2026, 3, 2), date(2026, 3, 4)]


def test_fixed_margins_keep_every_label_on_the_canvas_and_draw_once():
    # The chart uses fixed margins instead of tight_layout (bench/NOTES.md); check that
    # the title, tick labels and legend still fit on the 800 x 360 canvas, with a long title.
    days = [date(2026, 2, 1) + timedelta(days=i) for i in range(30)]
    points = {d: (10, 10) for d in days[::2]}
    figure = chart_figure(days, points, days[1::2], title="Check-ins: " + "W" * 40)
    assert figure.get_layout_engine() is None  # savefig then draws the figure only once
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    figure.draw(renderer)
    (axes,) = figure.axes
    texts = [axes.title, *axes.get_xticklabels(), *axes.get_yticklabels()]
    texts += list(axes.get_legend().get_texts())
    width, height = figure.canvas.get_width_height()
    assert (width, height) == (800, 360)
    for text in texts:
        if not text.get_text():
            continue
        box = text.get_window_extent(renderer)
        assert box.x0 >= 0 and box.y0 >= 0, text.get_text()
        assert box.x1 <= width and box.y1 <= height, text.get_text()


def test_render_chart_is_a_png_of_the_figure_size():
    png = render_chart(DAYS, {DAYS[0]: (6, 2)}, DAYS[1:3], title="t")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert int.from_bytes(png[16:20], "big") == 800 and int.from_bytes(png[20:24], "big") == 360
