"""`iopbot start` / `iopbot sandbox`: the page's URL first, its key, and when a browser opens."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import aiohttp
import pytest

from bot.cli import build_parser
from bot.sandbox import cli as sandbox_cli

ROOT = Path(__file__).resolve().parents[2]


def sandbox_args(*extra: str):
    return build_parser().parse_args(["sandbox", *extra])


@pytest.fixture
def desktop(monkeypatch):
    """A desktop session with no CI marker (where the page would open)."""
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("DISPLAY", ":0")


def test_the_browser_opens_only_on_a_desktop_and_when_asked(desktop, monkeypatch):
    assert sandbox_cli.should_open_browser(sandbox_args())
    assert not sandbox_cli.should_open_browser(sandbox_args("--no-browser"))
    assert not sandbox_cli.should_open_browser(sandbox_args("--scenario", "smoke"))
    monkeypatch.setenv("CI", "true")
    assert not sandbox_cli.should_open_browser(sandbox_args())
    monkeypatch.delenv("CI")
    monkeypatch.delenv("DISPLAY")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert not sandbox_cli.should_open_browser(sandbox_args())


def test_start_takes_the_page_options():
    args = build_parser().parse_args(["start", "--no-browser", "--control-key", "abc123"])
    assert args.no_browser and args.control_key == "abc123"


def test_the_key_comes_from_the_option_then_the_environment(monkeypatch):
    monkeypatch.delenv(sandbox_cli.KEY_ENV, raising=False)
    assert sandbox_cli.control_key(sandbox_args()) is None  # the emulator picks one
    monkeypatch.setenv(sandbox_cli.KEY_ENV, "from-env")
    assert sandbox_cli.control_key(sandbox_args()) == "from-env"
    assert sandbox_cli.control_key(sandbox_args("--control-key", "given")) == "given"
    with pytest.raises(ValueError, match="without spaces"):
        sandbox_cli.control_key(sandbox_args("--control-key", "two words"))


async def test_a_bad_key_is_a_clear_error(capsys, monkeypatch):
    monkeypatch.delenv(sandbox_cli.KEY_ENV, raising=False)
    assert await sandbox_cli.main(sandbox_args("--control-key", "a b", "--quiet")) == 2
    assert "without spaces" in capsys.readouterr().err


async def test_start_without_a_token_prints_the_page_first_and_serves_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOPBOT_")}
    env["IOPBOT_SANDBOX_KEY"] = "env-key-123"
    env["PYTHONPATH"] = str(ROOT)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "start",
        "--no-browser",
        cwd=tmp_path,  # no config.toml here
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        first = (await asyncio.wait_for(process.stdout.readline(), 60)).decode()
        second = (await asyncio.wait_for(process.stdout.readline(), 10)).decode()
        assert first.startswith("iopbot sandbox: web page at http://127.0.0.1:"), first
        assert first.rstrip().endswith("/?key=env-key-123"), first
        assert second.startswith("iopbot sandbox: control API at http://127.0.0.1:"), second
        assert "X-Sandbox-Key: env-key-123" in second
        root = first.split(" at ", 1)[1].split("?", 1)[0]
        async with aiohttp.ClientSession() as session:
            async with session.get(root) as response:
                assert response.status == 200
                assert response.content_type == "text/html"
                assert "iopbot sandbox" in await response.text()
            async with session.get(
                root + "_control/page/world", headers={"X-Sandbox-Key": "env-key-123"}
            ) as response:
                assert response.status == 200
                world = await response.json()
                assert world["guild"]["name"] == "Sunrise Recovery IOP"
        process.send_signal(signal.SIGINT)
        await asyncio.wait_for(process.communicate(), 30)
        assert process.returncode == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
