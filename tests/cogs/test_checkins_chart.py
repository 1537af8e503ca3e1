"""The history chart shows missed days (a marker each), and the cog hands it the right ones."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from unittest import mock

from cogs.checkins import _history
from cogs.checkins._chart import MISSED_LABEL, chart_figure
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
        real = _history.asyncio.to_thread

        async def spy(fn, *args, **kwargs):
            seen.append((fn, *args))
            return await real(fn, *args, **kwargs)

        with mock.patch.object(_history.asyncio, "to_thread", spy):
            result = await alex.slash(w.cohort, "checkin history")
        messages = [m for m in (result.response, *result.followups) if m is not None]
        assert all(m.ephemeral for m in messages)
        assert [a.filename for m in messages for a in m.attachments] == ["checkins.png"]
        ((fn, days, points, missed),) = seen
        assert fn is _history.render_chart
        assert days[-1] == date(2026, 3, 6) and len(days) == 30
        assert set(points) == {date(2026, 3, 3), date(2026, 3, 5)}
        # Before the program start nothing is "missed"; today is still open.
        assert missed == [date(2026, 3, 2), date(2026, 3, 4)]
