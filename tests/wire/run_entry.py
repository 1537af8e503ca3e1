"""``iopbot run`` in its own process, pointed at the emulator the way the sandbox does it.

    python -m tests.wire.run_entry API_BASE iopbot-args...

``iopbot run`` refuses a configured ``discord.api_base`` (a real token must never go
elsewhere), so the test points discord.py at the emulator first, exactly as
``iopbot sandbox`` does, and then runs the real command line.
"""

from __future__ import annotations

import sys

from bot.app import point_discord_at
from bot.cli import main

if __name__ == "__main__":
    point_discord_at(sys.argv[1])
    raise SystemExit(main(sys.argv[2:]))
