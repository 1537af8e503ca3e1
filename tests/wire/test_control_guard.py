"""Who may talk to the emulator: the control key, Host, Origin and Content-Type checks."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.sandbox.emulator import Emulator

KEY = "k3y-for-tests"


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    emu = Emulator(token="guard-token", control_key=KEY)
    await emu.start()
    emu.create_guild("Guarded")
    try:
        yield emu
    finally:
        await emu.stop()


async def call(
    emu: Emulator,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    data: bytes | None = None,
) -> tuple[int, str, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, emu.base_url + path, headers=headers or {}, data=data) as r,
    ):
        return r.status, r.content_type, await r.text()


def keyed(**extra: str) -> dict[str, str]:
    return {"X-Sandbox-Key": KEY, **extra}


JSON = {"Content-Type": "application/json"}


async def test_each_emulator_picks_its_own_random_key() -> None:
    first, second = Emulator(), Emulator()
    assert first.control_key != second.control_key
    assert len(first.control_key) >= 20
    with pytest.raises(ValueError, match="empty"):
        from bot.sandbox.emulator.guard import Guard

        Guard("", lambda: 1)


async def test_control_api_needs_the_key(emulator: Emulator) -> None:
    status, _, body = await call(emulator, "GET", "/_control/state")
    assert status == 403 and "X-Sandbox-Key" in body
    status, _, _ = await call(emulator, "GET", "/_control/state", headers={"X-Sandbox-Key": "no"})
    assert status == 403
    status, kind, body = await call(emulator, "GET", "/_control/state", headers=keyed())
    assert status == 200 and kind == "application/json" and "Guarded" in body
    # The page's own read endpoints and the event stream are behind the same key.
    for path in ("/_control/page/world", "/_control/events", "/_control/transcript"):
        status, _, _ = await call(emulator, "GET", path)
        assert status == 403, path


async def test_a_body_must_be_json(emulator: Emulator) -> None:
    body = b'{"name": "Second"}'
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, _, text = await call(
        emulator, "POST", "/_control/guilds", headers=keyed(**form), data=body
    )
    assert status == 415 and "application/json" in text
    status, _, _ = await call(
        emulator,
        "POST",
        "/_control/guilds",
        headers=keyed(**{"Content-Type": "text/plain"}),
        data=body,
    )
    assert status == 415
    assert [g.data["name"] for g in emulator.state.guilds.values()] == ["Guarded"]
    status, _, text = await call(
        emulator, "POST", "/_control/guilds", headers=keyed(**JSON), data=body
    )
    assert status == 200 and "Second" in text


@pytest.mark.parametrize("path", ["/", "/_control/state", "/api/v10/gateway", "/static/app.js"])
async def test_a_foreign_host_is_refused_everywhere(emulator: Emulator, path: str) -> None:
    # What a DNS-rebinding page sends: the right address, its own name in Host.
    headers = keyed(Host=f"rebind.example:{emulator.port}")
    status, _, text = await call(emulator, "GET", path, headers=headers)
    assert status == 403 and "Host" in text
    status, _, _ = await call(emulator, "GET", path, headers=keyed(Host="127.0.0.1:1"))
    assert status == 403


async def test_localhost_by_name_works(emulator: Emulator) -> None:
    headers = keyed(Host=f"localhost:{emulator.port}")
    status, _, _ = await call(emulator, "GET", "/_control/state", headers=headers)
    assert status == 200


async def test_other_origins_are_refused_the_pages_own_is_not(emulator: Emulator) -> None:
    evil = keyed(Origin="https://evil.example")
    status, _, text = await call(emulator, "GET", "/_control/state", headers=evil)
    assert status == 403 and "Origin" in text
    own = keyed(Origin=f"http://127.0.0.1:{emulator.port}")
    status, _, _ = await call(emulator, "GET", "/_control/state", headers=own)
    assert status == 200
    own = keyed(Origin=f"http://localhost:{emulator.port}")
    status, _, _ = await call(emulator, "GET", "/_control/state", headers=own)
    assert status == 200


async def test_the_discord_api_and_gateway_answer_only_the_local_bot(emulator: Emulator) -> None:
    auth = {"Authorization": "Bot guard-token"}
    status, _, _ = await call(emulator, "GET", "/api/v10/users/@me", headers=auth)
    assert status == 200
    # Even the page's own origin may not use the bot's fixed token.
    page_origin = {**auth, "Origin": f"http://127.0.0.1:{emulator.port}"}
    status, _, text = await call(emulator, "GET", "/api/v10/users/@me", headers=page_origin)
    assert status == 403 and "local bot" in text
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(emulator.gateway_url, headers={"Origin": "http://x.example"})
        assert refused.value.status == 403
        async with session.ws_connect(emulator.gateway_url) as ws:
            hello = await ws.receive_json(timeout=5)
            assert hello["op"] == 10


async def test_the_page_needs_no_key_and_holds_none(emulator: Emulator) -> None:
    status, kind, html = await call(emulator, "GET", "/")
    assert status == 200 and kind == "text/html"
    assert "<title>iopbot sandbox</title>" in html and KEY not in html
    status, kind, js = await call(emulator, "GET", "/static/app.js")
    assert status == 200 and kind == "text/javascript" and KEY not in js
    status, kind, _ = await call(emulator, "GET", "/static/style.css")
    assert status == 200 and kind == "text/css"
    status, _, _ = await call(emulator, "GET", "/static/../server.py")
    assert status in (403, 404)
    status, _, _ = await call(emulator, "GET", "/static/routes.py")
    assert status == 404
    assert emulator.page_url == f"{emulator.base_url}/?key={KEY}"
