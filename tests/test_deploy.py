"""docs/DEPLOY.md: the systemd units it gives are valid (``systemd-analyze verify``)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "docs" / "DEPLOY.md"
UNIT_BLOCK = re.compile(r"```ini\n# /etc/systemd/system/(?P<name>[\w.-]+)\n(?P<body>.*?)```", re.S)
INSTALLED = "/opt/iopbot/.venv/bin/iopbot"


def units() -> dict[str, str]:
    return {m["name"]: m["body"] for m in UNIT_BLOCK.finditer(DEPLOY.read_text())}


def test_deploy_gives_the_service_the_backup_and_its_timer():
    found = units()
    assert set(found) == {"iopbot.service", "iopbot-backup.service", "iopbot-backup.timer"}
    service = found["iopbot.service"]
    assert "Restart=on-failure" in service and "User=iopbot" in service
    assert "StateDirectory=iopbot" in service
    assert "iopbot backup" in found["iopbot-backup.service"]
    assert "OnCalendar=*-*-* 03:15:00" in found["iopbot-backup.timer"]


def test_exit_codes_in_the_doc_match_the_cli():
    from bot import cli

    text = DEPLOY.read_text()
    for code in (cli.EXIT_LOGIN, cli.EXIT_NO_TOKEN, cli.EXIT_DATABASE, cli.EXIT_UNEXPECTED):
        assert f"| {code} |" in text
    prevented = re.search(r"RestartPreventExitStatus=([\d ]+)", units()["iopbot.service"])
    assert prevented is not None
    assert {int(c) for c in prevented[1].split()} == {
        cli.EXIT_LOGIN,
        cli.EXIT_NO_TOKEN,
        cli.EXIT_DATABASE,
    }


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze absent")
def test_systemd_analyze_verifies_the_units(tmp_path):
    # verify checks that ExecStart binaries exist: point them at this checkout's iopbot.
    here = Path(sys.executable).parent / "iopbot"
    assert here.exists()
    paths = []
    for name, body in units().items():
        path = tmp_path / name
        path.write_text(body.replace(INSTALLED, str(here)))
        paths.append(str(path))
    result = subprocess.run(  # noqa: S603
        ["systemd-analyze", "verify", "--man=no", *paths],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    ours = [line for line in result.stderr.splitlines() if str(tmp_path) in line]
    assert result.returncode == 0 and not ours, result.stderr
