"""placeholder"""

from __future__ import annotations

from bot.cogbase import IopCog


class SafetyCog(IopCog):
    pass
