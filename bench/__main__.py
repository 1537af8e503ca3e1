"""``python -m bench``: fan-out, burst and scale; a table, then JSON; ``--write-results``.

Each part runs in its own child process (``--child PART``), so one part's heap, leftover
threads and sockets cannot slow the next: the burst measured after the fan-out in the
same process was 4 to 6 times slower than on its own (bench/NOTES.md).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.burst import burst, locked_burst
from bench.fanout import fanout

RESULTS = Path(__file__).with_name("RESULTS.md")


def machine() -> dict[str, Any]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {
        "nproc": os.cpu_count(),
        "arch": platform.machine(),
        "python": platform.python_version(),
        "cpu": cpu,
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def run_child(*args: str, module: str = "bench.scale") -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", module, *args],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


async def run_part(part: str, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """One part in this process (the child side of ``--child``)."""
    if part == "fanout":
        started = time.perf_counter()
        fan = await fanout(
            clients=args.clients,
            latency=args.latency,
            workdir=workdir,
            cold_clients=args.cold_clients,
        )
        result = fan.to_json()
        result["wall_s"] = time.perf_counter() - started
        return result
    shot = await burst(clients=args.burst_clients, latency=args.latency, workdir=workdir)
    locked = await locked_burst(
        clients=min(50, args.burst_clients), latency=args.latency, workdir=workdir
    )
    return {"modal": shot.to_json(), "locked-db modal": locked.to_json()}


def child_args(args: argparse.Namespace) -> list[str]:
    return [
        f"--clients={args.clients}",
        f"--cold-clients={args.cold_clients}",
        f"--burst-clients={args.burst_clients}",
        f"--latency={args.latency}",
    ]


async def run_all(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    results: dict[str, Any] = {"machine": machine()}
    for part in ("fanout", "burst"):
        if part in args.only:
            results[part] = run_child("--child", part, *child_args(args), module="bench")
    if "crisis" in args.only:
        results["crisis"] = run_child(module="bench.crisis")
    if "scale" in args.only:
        db = workdir / "scale.sqlite3"
        count = str(args.scale_clients)
        results["scale"] = {
            "dataset": run_child("generate", str(db), "--clients", count),
            "measured": run_child("measure", str(db), "--clients", count),
        }
    results["machine"]["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    return results


def ok(value: float, goal: float) -> str:
    return "yes" if value <= goal else "NO"


def table(results: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    fan = results.get("fanout")
    if fan:
        d, n = fan["dispatcher"], fan["naive"]
        rows += [
            ("fan-out clients / requests", f"{fan['clients']} / {d['requests']}", "", ""),
            (
                "fan-out DM channel ids loaded at start-up",
                f"{fan['dm_channels_loaded']} of {fan['clients']}",
                "",
                "",
            ),
            ("fan-out elapsed (dispatcher)", f"{d['elapsed_s']:.2f} s", "", ""),
            ("fan-out bound (requests / 50 per s)", f"{d['bound_s']:.2f} s", "", ""),
            ("fan-out ratio to bound", f"{d['ratio']:.3f}x", "<= 1.15x", ok(d["ratio"], 1.15)),
            (
                "fan-out 429s (global / per-route)",
                f"{d['rate_limited_global']} / {d['rate_limited_bucket']}",
                "unannounced only",
                "yes" if d["rate_limited_bucket"] == 0 else "NO",
            ),
            ("fan-out lost / duplicates", f"{d['lost']} / {d['duplicates']}", "0 / 0", ""),
        ]
        cold = fan.get("cold")
        if cold:
            rows += [
                (
                    f"cold first day: {fan['cold_clients']} clients, DM channels opened",
                    f"{cold['dm_creates']} of {fan['cold_clients']}",
                    "",
                    "",
                ),
                (
                    "cold first day elapsed / DM-bucket bound",
                    f"{cold['elapsed_s']:.1f} s / {cold['bucket_bound_s']:.0f} s "
                    f"({cold['bucket_ratio']:.2f}x)",
                    "",
                    "",
                ),
                (
                    "cold first day 429s (global / per-route), lost / dup",
                    f"{cold['rate_limited_global']} / {cold['rate_limited_bucket']}, "
                    f"{cold['lost']} / {cold['duplicates']}",
                    "",
                    "",
                ),
                (
                    f"cold first day for {fan['clients']} clients (DM bucket, 10 per 10 s)",
                    f"~{max(0, -(-fan['clients'] // 10) - 1) * 10:.0f} s",
                    "",
                    "",
                ),
            ]
        if n:
            rows += [
                ("naive elapsed (await each send)", f"{n['elapsed_s']:.2f} s", "", ""),
                ("naive lost / duplicates", f"{n['lost']} / {n['duplicates']}", "", ""),
                ("dispatcher / naive", f"{fan['ratio_to_naive']:.3f}x", "", ""),
            ]
    for label, shot in (results.get("burst") or {}).items():
        name = f"burst: {shot['clients']} {label}s in {shot['window_s']:g} s"
        rows += [
            (
                f"{name}: acked / saved",
                f"{shot['acknowledged']} / {shot['saved']}",
                f"{shot['clients']}",
                ok(shot["clients"] - shot["acknowledged"], 0),
            ),
            (f"{name}: p50", f"{shot['p50_ms']:.0f} ms", "", ""),
            (f"{name}: p99", f"{shot['p99_ms']:.0f} ms", "< 300 ms", ok(shot["p99_ms"], 300)),
        ]
        if shot.get("lock_held_s"):
            rows.append(
                (
                    f"{name}: first response, lock held {shot['lock_held_s']:g} s (max)",
                    f"{shot['max_ms']:.0f} ms",
                    "< 3000 ms",
                    ok(shot["max_ms"], 3000),
                )
            )
    crisis = results.get("crisis")
    if crisis:
        rows += [
            (
                f"crisis detector per message ({crisis['messages']} corpus messages): mean",
                f"{crisis['mean_ms']:.3f} ms",
                "< 1 ms",
                ok(crisis["mean_ms"], 1),
            ),
            ("crisis detector per message: p99", f"{crisis['p99_ms']:.3f} ms", "", ""),
        ]
    scale = (results.get("scale") or {}).get("measured")
    if scale:
        rss = scale["memory_mib"]["VmRSS"]
        rows += [
            (
                "weekly check-in report (one cohort)",
                f"{scale['checkin_report_cohort_ms']:.1f} ms",
                "< 100 ms",
                ok(scale["checkin_report_cohort_ms"], 100),
            ),
            (
                "weekly hours report (one cohort)",
                f"{scale['hours_report_cohort_ms']:.1f} ms",
                "< 100 ms",
                ok(scale["hours_report_cohort_ms"], 100),
            ),
            (
                "weekly check-in report (all 5,000)",
                f"{scale['checkin_report_all_ms']:.0f} ms",
                "(< 100 ms)",
                ok(scale["checkin_report_all_ms"], 100),
            ),
            (
                "30-day chart (load + render)",
                f"{scale['chart_total_ms']:.0f} ms",
                "< 200 ms",
                ok(scale["chart_total_ms"], 200),
            ),
            ("start-up (login, setup_hook, READY)", f"{scale['startup_s']:.2f} s", "", ""),
            (
                "start-up + first run of every job",
                f"{scale['startup_s'] + scale['first_jobs_run_s']:.2f} s",
                "< 3 s",
                ok(scale["startup_s"] + scale["first_jobs_run_s"], 3),
            ),
            ("resident memory (VmRSS)", f"{rss:.0f} MiB", "< 250 MB", ok(rss, 238)),
        ]
    return rows


def render_table(rows: list[tuple[str, str, str, str]]) -> str:
    head = ("measure", "value", "goal", "met")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(head, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def markdown(results: dict[str, Any], rows: list[tuple[str, str, str, str]]) -> str:
    m = results["machine"]
    out = [
        "# Benchmark results",
        "",
        f"Measured {m['date']} with `python -m bench --write-results` on {m['nproc']} cores "
        f"({m['arch']}, {m['cpu']}), Python {m['python']}; load average "
        f"{m['loadavg']} before and {m['loadavg_after']} after. How to run and what each "
        "figure means: [README.md](README.md); the analysis: [NOTES.md](NOTES.md).",
        "",
        "| measure | value | goal | met |",
        "|---|---|---|---|",
    ]
    out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    out += ["", "## Raw figures", "", "```json", json.dumps(results, indent=2), "```", ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--write-results", action="store_true", help="write bench/RESULTS.md")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=("fanout", "burst", "crisis", "scale"),
        default=["fanout", "burst", "crisis", "scale"],
    )
    parser.add_argument("--clients", type=int, default=1000, help="fan-out clients")
    parser.add_argument(
        "--cold-clients", type=int, default=50, help="clients on the cold first day (0: skip)"
    )
    parser.add_argument("--child", choices=("fanout", "burst"), help=argparse.SUPPRESS)
    parser.add_argument("--burst-clients", type=int, default=200)
    parser.add_argument("--scale-clients", type=int, default=5000)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per REST request")
    args = parser.parse_args(argv)
    if args.child:
        with tempfile.TemporaryDirectory(prefix="iopbot-bench-") as tmp:
            part = asyncio.run(run_part(args.child, args, Path(tmp)))
        print(json.dumps(part))
        return
    with tempfile.TemporaryDirectory(prefix="iopbot-bench-") as tmp:
        workdir = Path(tmp)
        results = asyncio.run(run_all(args, workdir))
    rows = table(results)
    print(render_table(rows))
    print(json.dumps(results, indent=2))
    if args.write_results:
        RESULTS.write_text(markdown(results, rows))


if __name__ == "__main__":
    main()
