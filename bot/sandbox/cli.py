"""`iopbot sandbox`: the real bot against the offline emulator, no token or config needed.

iopbot sandbox                                  # serve; prints the control URL
iopbot sandbox --scenario smoke --transcript t.jsonl   # run a scenario, exit 0/1
iopbot sandbox --world empty                    # only a server and the bot (try `setup`)
iopbot sandbox --scenario setup                 # setup on an empty server, then smoke
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bot.sandbox.runner import WORLDS, Sandbox, running_sandbox
from bot.sandbox.scenario import ScenarioContext, ScenarioFailed
from bot.sandbox.scenarios import PREPARE, SCENARIOS

DEFAULT_START = "2025-03-03T13:00:00+00:00"  # a Monday, 08:00 in New York

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=0, help="emulator port (0: pick a free one)")
    parser.add_argument(
        "--scenario", choices=sorted(SCENARIOS), help="run a scripted scenario, then exit 0/1"
    )
    parser.add_argument(
        "--world",
        choices=WORLDS,
        default="demo",
        help="demo: a seeded program; empty: only a server with the bot (the setup "
        "scenario always starts empty)",
    )
    parser.add_argument("--transcript", type=Path, help="write every bot message as JSON lines")
    parser.add_argument("--db", type=Path, help="database file (default: a temporary one)")
    parser.add_argument(
        "--start", default=DEFAULT_START, help="sandbox clock start, ISO-8601 with offset"
    )
    parser.add_argument(
        "--latency", type=float, default=0.0, help="simulated seconds of latency per request"
    )
    parser.add_argument(
        "--message-content",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="the bot's privileged message-content intent (default: the config default; "
        "on for the demo scenario)",
    )
    parser.add_argument("--quiet", action="store_true", help="no live transcript on stdout")
    parser.add_argument(
        "--log-level", default="WARNING", help="log level for the bot and discord.py (stderr)"
    )


def parse_start(text: str) -> datetime:
    start = datetime.fromisoformat(text)
    if start.tzinfo is None:
        raise ValueError("--start needs a UTC offset, e.g. 2025-03-03T13:00:00+00:00")
    return start.astimezone(UTC)


async def main(args: argparse.Namespace) -> int:
    logging.basicConfig(
        level=getattr(logging, str(args.log_level).upper(), logging.WARNING),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    start = parse_start(args.start)
    echo = None if args.quiet else sys.stdout
    with contextlib.ExitStack() as stack:
        transcript: TextIO | None = None
        if args.transcript is not None:
            transcript = stack.enter_context(args.transcript.open("w", encoding="utf-8"))
        db_path = args.db
        if db_path is None:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="iopbot-sandbox-"))
            db_path = Path(folder) / "iopbot.sqlite3"
        prepare = PREPARE.get(args.scenario or "")
        async with running_sandbox(
            start=start,
            db_path=db_path,
            port=args.port,
            latency=args.latency,
            transcript_file=transcript,
            echo=echo,
            world_kind="empty" if prepare is not None else args.world,
            prepare=prepare,
            message_content=message_content_for(args),
        ) as sandbox:
            print(f"iopbot sandbox: control API at {sandbox.emulator.control_url}", flush=True)
            if args.scenario is None:
                await serve_forever()
                return 0
            return await run_scenario(sandbox, args.scenario)
    return 0


def message_content_for(args: argparse.Namespace) -> bool | None:
    """--message-content, or on for the demo (its safety part reads what clients post)."""
    chosen: bool | None = args.message_content
    if chosen is None and args.scenario == "demo":
        return True
    return chosen


async def serve_forever() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    print("Press Ctrl-C to stop.", flush=True)
    await stop.wait()


async def run_scenario(sandbox: Sandbox, name: str) -> int:
    ctx = ScenarioContext(
        sandbox.emulator,
        sandbox.world,
        bot=sandbox.bot,
        clock=sandbox.clock,
        extra=sandbox.extra,
    )
    try:
        await SCENARIOS[name](ctx)
        await ctx.settle(0.3)
    except ScenarioFailed as error:
        log.error("scenario stopped: %s", error)
    problems = list(ctx.failures)
    problems += [
        f"unimplemented route hit: {r['method']} {r['path']}"
        for r in sandbox.emulator.unimplemented
    ]
    problems += [
        f"contract violation: {v.describe()}" for v in sandbox.emulator.contract.violations
    ]
    problems += [
        f"the bot logged an error: {m}"
        for m in sandbox.errors.messages
        if not any(expected in m for expected in ctx.expected_errors)
    ]
    counts = sandbox.emulator.rate_limit_counts()
    print(
        f"scenario {name}: {len(sandbox.emulator.requests)} requests, "
        f"429s global={counts['global']} bucket={counts['bucket']}, "
        f"{sandbox.emulator.contract.summary()}",
        flush=True,
    )
    if problems:
        print(f"scenario {name} FAILED:", flush=True)
        for problem in dict.fromkeys(problems):
            print(f"  - {problem}", flush=True)
        return 1
    print(f"scenario {name} passed", flush=True)
    return 0
