"""``python -m bench.contract``: what the contract checks cost per REST request.

Runs the smoke and demo scenarios in the sandbox (the real bot against the emulator) and
reports, from the emulator's `ContractLog`, how many requests were checked against
Discord's spec and what the checks cost per request (route, parameters and body, plus
the emulator's response): median, 95th percentile, mean, mean without the one command
sync at start-up, worst. The goal is under 1 ms per request.
Nothing fails here; the figure goes to docs/sandbox.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.sandbox.cli import DEFAULT_START, parse_start
from bot.sandbox.runner import running_sandbox
from bot.sandbox.scenario import ScenarioContext
from bot.sandbox.scenarios import SCENARIOS

GOAL_MS = 1.0


async def measure(name: str, workdir: Path) -> dict[str, Any]:
    started = time.perf_counter()
    async with running_sandbox(
        start=parse_start(DEFAULT_START),
        db_path=workdir / f"{name}.sqlite3",
        message_content=True if name == "demo" else None,
    ) as sandbox:
        ctx = ScenarioContext(sandbox.emulator, sandbox.world, bot=sandbox.bot, clock=sandbox.clock)
        await SCENARIOS[name](ctx)
        await ctx.settle(0.3)
        log = sandbox.emulator.contract
        times = sorted(log.times) or [0.0]
        routes = [r.get("route") for r in sandbox.emulator.requests]
        # The one command sync at start-up carries every command both ways (about 20 KB).
        others = [
            t
            for t, route in zip(log.times, routes, strict=False)
            if route != "PUT /applications/{application_id}/guilds/{guild_id}/commands"
        ] or [0.0]
        return {
            "scenario": name,
            "requests": len(sandbox.emulator.requests),
            "checked": log.checked,
            "violations": len(log.violations),
            "median_ms": round(statistics.median(times) * 1000, 3),
            "p95_ms": round(times[int(len(times) * 0.95) - 1 if len(times) > 1 else 0] * 1000, 3),
            "mean_ms": round(statistics.fmean(times) * 1000, 3),
            "mean_without_sync_ms": round(statistics.fmean(others) * 1000, 3),
            "worst_ms": round(times[-1] * 1000, 3),
            "wall_s": round(time.perf_counter() - started, 1),
            "goal_met": statistics.median(times) * 1000 < GOAL_MS,
        }


async def main() -> None:
    results = []
    with tempfile.TemporaryDirectory(prefix="iopbot-bench-contract-") as folder:
        for name in ("smoke", "demo"):
            with contextlib.redirect_stdout(io.StringIO()):
                results.append(await measure(name, Path(folder)))
    for row in results:
        print(
            f"{row['scenario']}: {row['checked']} of {row['requests']} requests checked, "
            f"{row['violations']} violations; per request median {row['median_ms']} ms, "
            f"p95 {row['p95_ms']} ms, mean {row['mean_ms']} ms "
            f"({row['mean_without_sync_ms']} ms without the command sync), worst "
            f"{row['worst_ms']} ms (goal: median < {GOAL_MS:g} ms: "
            f"{'met' if row['goal_met'] else 'NOT met'})"
        )
    print(json.dumps(results))


if __name__ == "__main__":
    asyncio.run(main())
