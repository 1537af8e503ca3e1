"""Route table plumbing: templates, buckets, parsed request bodies."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import BodyPartReader, web

from bot.sandbox.emulator.errors import ApiError, FormErrors
from bot.sandbox.emulator.ratelimit import BucketRule

if TYPE_CHECKING:
    from bot.sandbox.emulator.core import EmulatorCore


@dataclass
class Upload:
    field: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class Call:
    """One parsed REST request as a handler sees it."""

    request: web.Request
    params: dict[str, str]
    body: Any = None
    files: list[Upload] = field(default_factory=list)

    def snowflake(self, name: str) -> int:
        value = self.params[name]
        if not value.isdigit():
            errors = FormErrors()
            errors.add((name,), "NUMBER_TYPE_COERCE", f'Value "{value}" is not snowflake.')
            errors.raise_if_any()
        return int(value)

    def json(self) -> dict[str, Any]:
        if not isinstance(self.body, dict):
            raise ApiError(400, 50109, "The request body contains invalid JSON.")
        return self.body

    def query(self, name: str, default: str | None = None) -> str | None:
        return self.request.query.get(name, default)


Handler = Callable[["EmulatorCore", Call], Awaitable[Any]]


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    handler: Handler
    limit: int = 50
    period: float = 1.0
    major: tuple[str, ...] = ()
    needs_auth: bool = True
    global_exempt: bool = False
    shared_bucket: str | None = None

    @property
    def pattern(self) -> re.Pattern[str]:
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", self.template)
        return re.compile(f"^{regex}$")

    @property
    def rule(self) -> BucketRule:
        return BucketRule(
            self.shared_bucket or f"{self.method} {self.template}", self.limit, self.period
        )


class Router:
    def __init__(self, routes: list[Route]) -> None:
        self.routes = [(route, route.pattern) for route in routes]

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route, pattern in self.routes:
            if route.method != method:
                continue
            found = pattern.match(path)
            if found is not None:
                return route, found.groupdict()
        return None


async def parse_body(request: web.Request) -> tuple[Any, list[Upload]]:
    """JSON body, or multipart/form-data with `payload_json` and `files[n]`."""
    if request.content_type == "multipart/form-data":
        reader = await request.multipart()
        body: Any = None
        files: list[Upload] = []
        while True:
            part = await reader.next()
            if part is None:
                break
            if not isinstance(part, BodyPartReader):
                continue
            name = part.name or ""
            data = await part.read(decode=False)
            if name == "payload_json":
                body = json.loads(bytes(data).decode())
            else:
                content_type = part.headers.get("Content-Type", "application/octet-stream")
                files.append(Upload(name, part.filename or name, content_type, bytes(data)))
        return body, files
    raw = await request.read()
    if not raw:
        return None, []
    try:
        return json.loads(raw), []
    except ValueError as error:
        raise ApiError(400, 50109, "The request body contains invalid JSON.") from error
