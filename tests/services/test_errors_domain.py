"""Bad input the domain rejects reaches the person through the one error handler."""

from __future__ import annotations

import pytest
from discord import app_commands

from bot.domain.dates import BadDate
from bot.domain.errors import DomainError
from bot.domain.localtime import BadTime, BadTimezone, parse_hhmm, parse_zone
from bot.domain.moderation import BadInput
from bot.domain.names import BadName
from bot.domain.sessions import BadSession
from bot.services.errors import describe


@pytest.mark.parametrize("kind", [BadDate, BadTime, BadTimezone, BadSession, BadInput, BadName])
def test_every_domain_input_error_is_one_kind(kind):
    assert issubclass(kind, DomainError)


def test_a_domain_error_shows_its_own_words_even_wrapped_by_the_command():
    with pytest.raises(BadTime) as caught:
        parse_hhmm("25:99")
    assert describe(caught.value) == str(caught.value)
    wrapped = app_commands.CommandInvokeError.__new__(app_commands.CommandInvokeError)
    wrapped.original = caught.value
    assert describe(wrapped) == str(caught.value)
    with pytest.raises(BadTimezone) as zone:
        parse_zone("Mars/Olympus")
    assert "not a time zone" in (describe(zone.value) or "")


def test_an_unexpected_error_is_not_shown():
    assert describe(RuntimeError("secret detail")) is None
