"""The one base for bad input the domain rejects.

A :class:`DomainError`'s message is written for the person who typed the input ("Please
give a 24-hour time as HH:MM…"): the error handler (``bot/services/errors.py``) shows it to
them as it is, ephemerally, so a command never needs its own ``except … raise UserError``.
"""

from __future__ import annotations


class DomainError(ValueError):
    """Input a person can fix; ``str(error)`` says how, in plain words."""
