"""Contract checks: requests and the emulator's responses held to Discord's OpenAPI spec."""

from __future__ import annotations

import copy
import io
import random
import re
from collections.abc import Awaitable, Callable
from contextlib import redirect_stdout
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
import discord.gateway
import discord.http
import pytest
from discord.ext import commands

from bot.sandbox import cli
from bot.sandbox.emulator.contract import (
    ALLOWED,
    SPEC_COMMIT,
    SPEC_DIR,
    Contract,
    load_contract,
)
from bot.sandbox.runner import running_sandbox
from bot.sandbox.scenario import ScenarioContext
from tests.wire.conftest import Wired

MESSAGES = "/channels/{channel_id}/messages"


def _bad_button_payload() -> dict[str, object]:
    return {
        "content": "pick one",
        "components": [
            {
                "type": 1,
                "components": [{"type": 2, "style": 9, "custom_id": "x", "label": "Go"}],
            }
        ],
    }


async def test_a_button_with_an_unknown_style_is_caught(
    wired: Wired, run_bot: Callable[..., Awaitable[commands.Bot]]
) -> None:
    bot = await run_bot()
    route = discord.http.Route("POST", MESSAGES, channel_id=wired.general_id)
    # The emulator's own 50035 checks do not look at styles: only the contract does.
    await bot.http.request(route, json=_bad_button_payload())
    # The request, and the emulator's answer echoing the button back, both break the spec.
    found = [v.describe() for v in wired.emulator.contract.take()]
    assert found == [
        "POST /channels/{channel_id}/messages request body at "
        "$.components[0].components[0].style: 9 is not one of [1, 2, 3, 4, 5, 6]",
        "POST /channels/{channel_id}/messages response 200 at "
        "$.components[0].components[0].style: 9 is not one of [1, 2, 3, 4, 5, 6]",
    ]
    logged = wired.emulator.request_log()["requests"][-1]
    assert logged["contract_violations"] == found


async def test_good_traffic_is_all_checked(
    wired: Wired, run_bot: Callable[..., Awaitable[commands.Bot]]
) -> None:
    bot = await run_bot()
    channel = bot.get_channel(wired.general_id)
    assert isinstance(channel, discord.TextChannel)
    await channel.send("hello", embed=discord.Embed(title="t", description="d"))
    emu = wired.emulator
    assert emu.contract.checked == len(emu.requests) > 0
    assert emu.contract.violations == []


def test_route_method_and_query_parameters_are_checked() -> None:
    contract = load_contract()
    assert contract.check_request("GET", "/nowhere", {})[1][0].message == (
        "the route is not in the spec"
    )
    assert contract.check_request("PUT", "/users/@me", {})[1][0].message == (
        "the method is not in the spec"
    )
    op, found = contract.check_request("GET", "/channels/1/messages", {"limit": "500"})
    assert op is not None and op.spec_path == MESSAGES
    assert [(v.where, v.message) for v in found] == [
        ("query parameter limit", "500 is greater than the maximum of 100")
    ]
    assert contract.check_request("GET", "/channels/1/messages", {"limit": "50"})[1] == []
    unknown = contract.check_request("GET", "/channels/1/messages", {"colour": "red"})[1]
    assert [v.where for v in unknown] == ["query parameter colour"]
    bad_id = contract.check_request("GET", "/channels/abc/messages", {})[1]
    assert [v.where for v in bad_id] == ["path parameter channel_id"]
    # "/users/@me" is its own route, not "/users/{user_id}" with user_id "@me".
    me, none = contract.check_request("GET", "/users/@me", {})
    assert me is not None and me.spec_path == "/users/@me" and none == []


def test_discord_query_booleans_accept_1_and_0() -> None:
    contract = load_contract()
    path = "/interactions/1/token/callback"
    for value in ("1", "0", "true", "False"):
        assert contract.check_request("POST", path, {"with_response": value})[1] == []
    assert contract.check_request("POST", path, {"with_response": "yes"})[1] != []


def test_allowances_fix_only_their_paths() -> None:
    contract = load_contract()
    op, _ = contract.check_request("POST", "/channels/1/messages", {})
    assert op is not None
    good = {"content": "hi", "allowed_mentions": {"parse": [], "users": [123]}}
    assert contract.check_body(op, "/channels/1/messages", good, present=True) == []
    # The allowance for integer snowflakes does not hide anything else in the body.
    bad = {**good, **_bad_button_payload()}
    [violation] = contract.check_body(op, "/channels/1/messages", bad, present=True)
    assert violation.json_path == "$.components[0].components[0].style"
    # ...nor an integer snowflake somewhere it is not allowed.
    member = contract.check_request("PATCH", "/guilds/1/members/2", {})[0]
    assert member is not None
    [elsewhere] = contract.check_body(member, "/x", {"roles": [5]}, present=True)
    assert elsewhere.json_path == "$.roles[0]"


def test_without_allowances_the_spec_is_strict() -> None:
    strict = Contract(load_contract().spec, allowed=())
    op, _ = strict.check_request("POST", "/channels/1/messages", {})
    assert op is not None
    body = {"content": "hi", "allowed_mentions": {"parse": [], "users": [123]}}
    [violation] = strict.check_body(op, "/x", body, present=True)
    assert violation.json_path == "$.allowed_mentions.users[0]"


def test_every_allowance_names_a_spec_route_and_a_reason() -> None:
    contract = load_contract()
    for allowance in ALLOWED:
        assert allowance.reason
        assert allowance.json_paths and all(p.startswith("$.") for p in allowance.json_paths)
        if allowance.spec_path != "*":
            method = allowance.method.lower()
            assert method in contract.spec["paths"][allowance.spec_path], allowance


def test_responses_are_checked_too() -> None:
    contract = load_contract()
    op, _ = contract.check_request("GET", "/users/@me", {})
    assert op is not None
    [missing] = contract.check_response(op, "/users/@me", 200, {"id": "1"}, present=True)
    assert missing.where == "response 200" and "required property" in missing.message
    [status] = contract.check_response(op, "/users/@me", 204, None, present=False)
    assert "not documented" in status.message
    field_error = {
        "code": 50035,
        "message": "Invalid Form Body",
        "errors": {"content": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "m"}]}},
    }
    assert contract.check_response(op, "/users/@me", 400, field_error, present=True) == []


def test_the_pinned_spec_keeps_its_licence_and_commit() -> None:
    assert (SPEC_DIR / "LICENSE").read_text().startswith("MIT License")
    assert SPEC_COMMIT in (SPEC_DIR / "README.md").read_text()
    assert (SPEC_DIR / "openapi.json").stat().st_size > 1_000_000


async def test_a_violation_fails_the_scenario(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def bad_scenario(ctx: ScenarioContext) -> None:
        channel = ctx.channel("welcome").id
        route = discord.http.Route("POST", MESSAGES, channel_id=channel)
        await ctx.bot.http.request(route, json=_bad_button_payload())

    monkeypatch.setitem(cli.SCENARIOS, "bad", bad_scenario)
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    out = io.StringIO()
    try:
        start = datetime(2025, 3, 3, 13, 0, tzinfo=UTC)
        async with running_sandbox(start=start, db_path=tmp_path / "bot.sqlite3") as sandbox:
            with redirect_stdout(out):
                status = await cli.run_scenario(sandbox, "bad")
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway
    text = out.getvalue()
    assert status == 1
    assert re.search(
        r"^scenario bad: (\d+) requests, 429s global=0 bucket=0, contract: \1 checked, "
        r"2 violations$",
        text,
        re.M,
    ), text
    assert (
        "contract violation: POST /channels/{channel_id}/messages request body at "
        "$.components[0].components[0].style: 9 is not one of [1, 2, 3, 4, 5, 6]"
    ) in text


def _mutations(document: object, count: int, seed: int) -> list[object]:
    """`document` with one value removed or replaced, `count` times (deterministic)."""
    rnd = random.Random(seed)
    found: list[tuple[object, ...]] = []

    def walk(value: object, path: tuple[object, ...]) -> None:
        if path:
            found.append(path)
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*path, index))

    walk(document, ())
    replacements: list[object] = [None, True, 0, -1, 1.5, "x", "9" * 30, [], {}, 10**20, 99]
    results = []
    for _ in range(count):
        copied = copy.deepcopy(document)
        path = rnd.choice(found)
        parent: Any = copied
        for key in path[:-1]:
            parent = parent[key]
        if isinstance(parent, dict) and rnd.random() < 0.3:
            del parent[path[-1]]
        else:
            parent[path[-1]] = rnd.choice(replacements)
        results.append(copied)
    return results


def test_the_fast_check_agrees_with_jsonschema() -> None:
    contract = load_contract()
    message = contract.check_request("POST", "/channels/1/messages", {})[0]
    me = contract.check_request("GET", "/users/@me", {})[0]
    assert message is not None and me is not None
    body = {
        **_bad_button_payload(),
        "embeds": [{"title": "t", "fields": [{"name": "a", "value": "b", "inline": True}]}],
        "allowed_mentions": {"parse": ["users"], "replied_user": False},
        "message_reference": {"message_id": "1", "fail_if_not_exists": False},
        "nonce": "ob1",
        "enforce_nonce": True,
    }
    body["components"][0]["components"][0]["style"] = 1  # type: ignore[index]
    user = {
        "id": "1",
        "username": "u",
        "global_name": None,
        "avatar": None,
        "discriminator": "0",
        "public_flags": 0,
        "flags": 0,
        "bot": True,
        "primary_guild": None,
        "mfa_enabled": False,
        "locale": "en-US",
    }
    cases = [(message.body, body), (me.response_validator(200)[1], user)]
    disagreements = []
    invalid = 0
    for checker, document in cases:
        assert checker is not None and checker.is_valid(document)
        assert checker.fast is not None  # every schema the spec has compiles
        for mutated in _mutations(document, 300, seed=7):
            fast, reference = checker.fast(mutated), checker.validator.is_valid(mutated)
            invalid += not reference
            if fast != reference:
                disagreements.append(mutated)
    assert disagreements == []
    assert invalid > 100  # the mutations really do break the schema
