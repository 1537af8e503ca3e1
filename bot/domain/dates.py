"""Parsing and checking calendar dates typed by people."""

from __future__ import annotations

from datetime import date, timedelta

from bot.domain.errors import DomainError


class BadDate(DomainError):
    pass


def parse_date(text: str) -> date:
    cleaned = text.strip()
    try:
        value = date.fromisoformat(cleaned)
    except ValueError:
        raise BadDate("Please give the date as YYYY-MM-DD, for example 2026-03-01.") from None
    if len(cleaned) != 10:
        raise BadDate("Please give the date as YYYY-MM-DD, for example 2026-03-01.")
    return value


def check_range(value: date, *, today: date, past_days: int, future_days: int, what: str) -> date:
    """Refuse ``value`` outside ``[today - past_days, today + future_days]``."""
    if value < today - timedelta(days=past_days):
        raise BadDate(f"The {what} can't be more than {past_days} days ago.")
    if value > today + timedelta(days=future_days):
        if future_days == 0:
            raise BadDate(f"The {what} can't be in the future.")
        raise BadDate(f"The {what} can't be more than {future_days} days ahead.")
    return value
