"""A loopback Discord server that unmodified discord.py connects to (REST + gateway)."""

from bot.sandbox.emulator.results import InteractionError, InteractionResult
from bot.sandbox.emulator.server import Emulator

__all__ = ["Emulator", "InteractionError", "InteractionResult"]
