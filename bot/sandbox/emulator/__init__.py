"""A loopback Discord server that unmodified discord.py connects to (REST + gateway)."""

from bot.sandbox.emulator.results import InteractionResult

__all__ = ["InteractionResult"]
