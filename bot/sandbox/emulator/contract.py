"""Contract checks: every REST request and response held to Discord's own OpenAPI spec.

The pinned spec (bot/sandbox/spec/openapi.json, see its README) is parsed and its
references registered once per process (`load_contract()`); one JSON Schema 2020-12
validator per schema is built on first use and cached. For each request the emulator
serves, `ContractLog` checks that the route and method exist in the spec, that path and
query parameters match their schemas, that the JSON body (or `payload_json` of a
multipart body) matches the operation's request schema, and that the emulator's own
response matches the response schema for its status. Anything else is a `Violation`;
the scenario runner and the wire tests fail on any.

Where the spec itself is wrong or incomplete, `ALLOWED` holds an explicit entry naming
the spec path and the JSON path, with the reason. There is no switch to skip checks.
"""

from __future__ import annotations

import functools
import json
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match, relevance
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from bot.sandbox.emulator.fastcheck import Check, Compiler, Unsupported

SPEC_DIR = Path(__file__).resolve().parent.parent / "spec"
SPEC_FILE = SPEC_DIR / "openapi.json"
SPEC_COMMIT = "74fda0fad044407ea280043a03ffc9bc64c4e49e"
SPEC_URI = "urn:discord-api-spec"
METHODS = ("get", "put", "post", "patch", "delete")
MESSAGE_LIMIT = 300


@dataclass(frozen=True)
class Violation:
    """One way a request or response differs from the spec."""

    method: str
    path: str  # the request path as logged (tokens masked)
    spec_path: str  # the spec's path template ("" when the route is not in the spec)
    where: str  # "route", "path parameter x", "query parameter x", "request body", "response 200"
    json_path: str
    message: str

    def describe(self) -> str:
        route = self.spec_path or self.path
        return f"{self.method} {route} {self.where} at {self.json_path}: {self.message}"

    def to_json(self) -> dict[str, str]:
        return {
            "method": self.method,
            "path": self.path,
            "spec_path": self.spec_path,
            "where": self.where,
            "json_path": self.json_path,
            "message": self.message,
        }


def snowflake_text(value: Any) -> Any:
    """A snowflake sent as a JSON integer, as the decimal string the spec expects."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def field_error_code(value: Any) -> Any:
    """A field error's code ("BASE_TYPE_MAX_LENGTH") in the integer form the spec expects."""
    return 0 if isinstance(value, str) else value


def integer_text(value: Any) -> Any:
    """A number sent as a decimal string, as the integer the spec expects."""
    return int(value) if isinstance(value, str) and value.isdigit() else value


@dataclass(frozen=True)
class Allowance:
    """A known gap in the spec: at `json_paths`, Discord also accepts another form.

    Before a failing value is reported, each matching value is put in the spec's form by
    `accept` and checked again, so everything else in the body is still checked. A path
    is `$` then `.key`, `[*]` (every item of a list) or `.**` (any depth) steps.
    """

    method: str
    spec_path: str
    where: str
    json_paths: tuple[str, ...]
    accept: Callable[[Any], Any]
    reason: str

    def applies(self, method: str, spec_path: str, where: str) -> bool:
        """`*` as method and spec path: a gap in a shared component, on every route."""
        return (
            self.method in ("*", method)
            and self.spec_path in ("*", spec_path)
            and self.where == where
        )

    def normalise(self, value: Any) -> Any:
        for json_path in self.json_paths:
            steps = re.findall(r"\.([^.\[]+)|\[\*\]", json_path)
            value = _apply(value, [s if s else "*" for s in steps], self.accept)
        return value


def _apply(value: Any, steps: list[str], accept: Callable[[Any], Any]) -> Any:
    if not steps:
        return accept(value)
    step, rest = steps[0], steps[1:]
    if step == "**":
        value = _apply(value, rest, accept)
        if isinstance(value, dict):
            return {k: _apply(v, steps, accept) for k, v in value.items()}
        return value
    if step == "*" and isinstance(value, list):
        return [_apply(item, rest, accept) for item in value]
    if step != "*" and isinstance(value, dict) and step in value:
        return {**value, step: _apply(value[step], rest, accept)}
    return value


# Each entry names a place where the pinned spec is narrower than what Discord accepts
# and discord.py sends; add one only with the evidence in `reason`.
_SNOWFLAKE_INT = (
    "the spec types snowflakes as decimal strings; Discord also accepts JSON integers, "
    "which discord.py sends for these fields"
)
_MESSAGE_SNOWFLAKES = (
    "$.allowed_mentions.users[*]",
    "$.allowed_mentions.roles[*]",
    "$.message_reference.message_id",
    "$.message_reference.channel_id",
    "$.message_reference.guild_id",
)
_ATTACHMENT_IDS = ("$.attachments[*].id",)
ALLOWED: tuple[Allowance, ...] = (
    Allowance(
        "*",
        "*",
        "response 400",
        ("$.errors.**._errors[*].code",),
        field_error_code,
        # #/components/schemas/InnerErrors lists its `_errors` as
        # #/components/schemas/Error, whose `code` is an integer; in a 50035 body Discord's
        # field errors carry string codes ("BASE_TYPE_MAX_LENGTH"), as its docs show.
        "field errors in a 50035 body have string codes; the spec reuses the integer Error",
    ),
    Allowance(
        "POST",
        "/users/@me/channels",
        "request body",
        ("$.recipient_id",),
        snowflake_text,
        _SNOWFLAKE_INT,
    ),
    *(
        Allowance(
            method,
            spec_path,
            "request body",
            _MESSAGE_SNOWFLAKES + _ATTACHMENT_IDS,
            snowflake_text,
            _SNOWFLAKE_INT,
        )
        for method, spec_path in (
            ("POST", "/channels/{channel_id}/messages"),
            ("PATCH", "/channels/{channel_id}/messages/{message_id}"),
            ("POST", "/webhooks/{webhook_id}/{webhook_token}"),
            ("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original"),
            ("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}"),
        )
    ),
    Allowance(
        "POST",
        "/interactions/{interaction_id}/{interaction_token}/callback",
        "request body",
        tuple(f"$.data{p[1:]}" for p in _MESSAGE_SNOWFLAKES + _ATTACHMENT_IDS),
        snowflake_text,
        _SNOWFLAKE_INT,
    ),
    Allowance(
        "POST",
        "/guilds/{guild_id}/channels",
        "request body",
        ("$.permission_overwrites[*].id",),
        snowflake_text,
        _SNOWFLAKE_INT,
    ),
    Allowance(
        "POST",
        "/guilds/{guild_id}/channels",
        "request body",
        ("$.permission_overwrites[*].allow", "$.permission_overwrites[*].deny"),
        integer_text,
        "the spec types allow/deny as integers; Discord takes the documented strings",
    ),
    Allowance(
        "POST",
        "/guilds/{guild_id}/roles",
        "request body",
        ("$.permissions",),
        integer_text,
        # #/components/schemas/CreateRoleRequest types `permissions` as an integer; Discord
        # documents permission sets as strings and discord.py sends a string.
        "the spec types permissions as an integer; Discord takes the documented string",
    ),
    Allowance(
        "PUT",
        "/channels/{channel_id}/permissions/{overwrite_id}",
        "request body",
        ("$.allow", "$.deny"),
        integer_text,
        # Discord documents permission sets as strings and accepts them here; the spec
        # says integer. discord.py sends strings.
        "the spec types allow/deny as integers; Discord takes the documented strings",
    ),
)


class Checker:
    """jsonschema's validator, with the fast yes/no check (fastcheck.py) in front of it.

    Both are built once, when the spec is loaded (about 50 ms for every operation).
    """

    def __init__(self, validator: Draft202012Validator, compiler: Compiler) -> None:
        self.validator = validator
        self.fast: Check | None
        try:
            self.fast = compiler.compile(validator.schema)
        except Unsupported:
            self.fast = None  # jsonschema alone checks this schema

    def is_valid(self, value: Any) -> bool:
        if self.fast is not None and self.fast(value):
            return True
        return bool(self.validator.is_valid(value))

    def iter_errors(self, value: Any) -> Iterator[ValidationError]:
        return iter(self.validator.iter_errors(value))


@dataclass
class Operation:
    """One method on one spec path, with its validators."""

    method: str
    spec_path: str
    pattern: re.Pattern[str]
    literal_segments: int
    path_params: dict[str, Checker]
    query_params: dict[str, tuple[Checker, frozenset[str]]]
    body: Checker | None
    body_required: bool
    responses: dict[str, Checker | None] = field(default_factory=dict)

    def response_validator(self, status: int) -> tuple[bool, Checker | None]:
        """(documented?, the body's validator) for a status, trying "404", "4XX", "default"."""
        for key in (str(status), f"{str(status)[0]}XX", "default"):
            if key in self.responses:
                return True, self.responses[key]
        return False, None


class Contract:
    """The spec's operations, ready to check requests and responses against."""

    def __init__(self, spec: Mapping[str, Any], *, allowed: Iterable[Allowance] = ALLOWED) -> None:
        self.spec = spec
        self.allowed = tuple(allowed)
        resource = Resource.from_contents(dict(spec), default_specification=DRAFT202012)
        self.registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource).crawl()
        self._validators: dict[str, Checker] = {}
        self._inlined: dict[str, Any] = {}
        self._compiler = Compiler(self._inline_ref)
        self.operations: dict[str, list[Operation]] = {m.upper(): [] for m in METHODS}
        for spec_path, item in spec["paths"].items():
            for method in METHODS:
                if method in item:
                    op = self._operation(method.upper(), spec_path, item, item[method])
                    self.operations[op.method].append(op)
        for ops in self.operations.values():
            # "/users/@me" before "/users/{user_id}": more literal segments win.
            ops.sort(key=lambda op: -op.literal_segments)
        self.paths = {spec_path: _pattern(spec_path) for spec_path in spec["paths"]}

    # ----- building ---------------------------------------------------------------------

    def validator(self, schema: Mapping[str, Any]) -> Checker:
        """A cached checker for a schema found in the spec (usually a `$ref`)."""
        key = json.dumps(schema, sort_keys=True)
        found = self._validators.get(key)
        if found is None:
            inlined = self.inline(schema)
            if not isinstance(inlined, dict) or "$ref" in inlined:
                inlined = {"allOf": [inlined]}
            root = {"$schema": "https://json-schema.org/draft/2020-12/schema", **inlined}
            found = Checker(Draft202012Validator(root, registry=self.registry), self._compiler)
            self._validators[key] = found
        return found

    def _inline_ref(self, ref: str) -> Any:
        return self.inline({"$ref": ref.removeprefix(SPEC_URI)})

    def inline(self, node: Any, seen: tuple[str, ...] = ()) -> Any:
        """`node` with the spec's `$ref`s replaced by what they point to (resolved once).

        Following a reference through the registry on every validation is what made the
        checks slow; here each component is expanded once and shared. A reference back
        into a component being expanded (a recursive schema) stays a `$ref`, pointed at
        the registered spec.
        """
        if isinstance(node, list):
            return [self.inline(item, seen) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if not isinstance(ref, str):
            expanded = {key: self.inline(value, seen) for key, value in node.items()}
            return _tagged_choice(expanded)
        rest = {
            key: self.inline(value, seen)
            for key, value in node.items()
            if key not in ("$ref", "description", "title")
        }
        if ref in seen:
            target: Any = {"$ref": SPEC_URI + ref}
        elif ref in self._inlined:
            target = self._inlined[ref]
        else:
            target = self.inline(self.resolve({"$ref": ref}), (*seen, ref))
            self._inlined[ref] = target
        return {**rest, "allOf": [target]} if rest else target

    def resolve(self, item: Mapping[str, Any]) -> Mapping[str, Any]:
        """Follow a `$ref` to a component (responses, parameters, request bodies)."""
        while "$ref" in item:
            pointer = str(item["$ref"]).removeprefix("#/").split("/")
            target: Any = self.spec
            for part in pointer:
                target = target[part]
            item = target
        return item

    def _operation(
        self, method: str, spec_path: str, item: Mapping[str, Any], op: Mapping[str, Any]
    ) -> Operation:
        params = [self.resolve(p) for p in [*item.get("parameters", []), *op.get("parameters", [])]]
        path_params = {
            str(p["name"]): self.validator(p.get("schema", {})) for p in params if p["in"] == "path"
        }
        query_params = {
            str(p["name"]): (
                self.validator(p.get("schema", {})),
                _types(self.resolve(p.get("schema", {}))),
            )
            for p in params
            if p["in"] == "query"
        }
        body, required = None, False
        if "requestBody" in op:
            request_body = self.resolve(op["requestBody"])
            content = request_body.get("content", {})
            schema = (
                content.get("application/json") or content.get("multipart/form-data") or {}
            ).get("schema")
            body = None if schema is None else self.validator(schema)
            required = bool(request_body.get("required", False))
        responses: dict[str, Checker | None] = {}
        for status, response in op.get("responses", {}).items():
            schema = self.resolve(response).get("content", {}).get("application/json", {})
            responses[str(status)] = (
                self.validator(schema["schema"]) if "schema" in schema else None
            )
        return Operation(
            method=method,
            spec_path=spec_path,
            pattern=_pattern(spec_path),
            literal_segments=sum(1 for s in spec_path.split("/") if s and "{" not in s),
            path_params=path_params,
            query_params=query_params,
            body=body,
            body_required=required,
            responses=responses,
        )

    # ----- checking ---------------------------------------------------------------------

    def match(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        for op in self.operations.get(method, []):
            found = op.pattern.match(path)
            if found is not None:
                return op, found.groupdict()
        return None

    def check_request(
        self,
        method: str,
        path: str,
        query: Mapping[str, str],
        *,
        shown_path: str | None = None,
    ) -> tuple[Operation | None, list[Violation]]:
        """The route, method and parameters of one request."""
        shown = shown_path or path
        found = self.match(method, path)
        if found is None:
            known = any(p.match(path) for p in self.paths.values())
            message = "the method is not in the spec" if known else "the route is not in the spec"
            return None, ([Violation(method, shown, "", "route", "$", message)])
        op, params = found
        violations: list[Violation] = []
        for name, value in params.items():
            checker = op.path_params.get(name)
            if checker is not None:
                violations += self._errors(op, shown, f"path parameter {name}", checker, value)
        for name, value in query.items():
            if name not in op.query_params:
                violations.append(
                    Violation(
                        method,
                        shown,
                        op.spec_path,
                        f"query parameter {name}",
                        "$",
                        "the parameter is not in the spec",
                    )
                )
                continue
            checker, types = op.query_params[name]
            violations += self._errors(
                op, shown, f"query parameter {name}", checker, _coerce(value, types)
            )
        return op, (violations)

    def check_body(self, op: Operation, path: str, body: Any, *, present: bool) -> list[Violation]:
        """The JSON body (or multipart `payload_json`) of one request."""
        if not present:
            if op.body_required:
                return [
                    Violation(
                        op.method,
                        path,
                        op.spec_path,
                        "request body",
                        "$",
                        "the spec requires a body",
                    )
                ]
            return []
        if op.body is None:
            return [
                Violation(
                    op.method,
                    path,
                    op.spec_path,
                    "request body",
                    "$",
                    "the spec describes no body for this route",
                )
            ]
        return self._errors(op, path, "request body", op.body, body)

    def check_response(
        self, op: Operation, path: str, status: int, body: Any, *, present: bool
    ) -> list[Violation]:
        """The emulator's own answer: a documented status, and a body matching its schema."""
        where = f"response {status}"
        documented, checker = op.response_validator(status)
        if not documented:
            message = f"status {status} is not documented (the spec has {sorted(op.responses)})"
            return [Violation(op.method, path, op.spec_path, where, "$", message)]
        if checker is None:
            if present:
                message = "the spec documents no body for this status"
                return [Violation(op.method, path, op.spec_path, where, "$", message)]
            return []
        if not present:
            return [Violation(op.method, path, op.spec_path, where, "$", "a body is expected")]
        return self._errors(op, path, where, checker, body)

    def _errors(
        self, op: Operation, path: str, where: str, checker: Checker, value: Any
    ) -> list[Violation]:
        if checker.fast is not None and checker.fast(value):
            return []
        allowances = [a for a in self.allowed if a.applies(op.method, op.spec_path, where)]
        for allowance in allowances:
            value = allowance.normalise(value)
        if checker.is_valid(value):
            return []
        error = _clearest(max(checker.iter_errors(value), key=relevance))
        message = _message(error)
        if len(message) > MESSAGE_LIMIT:
            message = message[: MESSAGE_LIMIT - 3] + "..."
        return [Violation(op.method, path, op.spec_path, where, error.json_path, message)]


@dataclass
class ContractLog:
    """What one emulator checked, and every violation it found.

    `checked` counts REST requests whose route, parameters, body and response were all
    checked; `seconds` is the time spent checking (for docs/sandbox.md's figure).
    """

    contract: Contract
    checked: int = 0
    seconds: float = 0.0
    slowest: float = 0.0  # the most one request's checks took, in seconds
    times: list[float] = field(default_factory=list)  # per request, in seconds
    violations: list[Violation] = field(default_factory=list)

    def add(self, found: list[Violation], entry: dict[str, Any]) -> None:
        if found:
            self.violations.extend(found)
            entry.setdefault("contract_violations", []).extend(v.describe() for v in found)

    def take(self) -> list[Violation]:
        """The violations so far, cleared: for a test that sends a bad payload on purpose."""
        found = list(self.violations)
        self.violations.clear()
        return found

    def summary(self) -> str:
        return f"contract: {self.checked} checked, {len(self.violations)} violations"

    def to_json(self) -> dict[str, Any]:
        return {
            "spec_commit": SPEC_COMMIT,
            "checked": self.checked,
            "violations": [v.to_json() for v in self.violations],
        }


@functools.cache
def load_contract() -> Contract:
    """The pinned spec, parsed once per process (every emulator shares it)."""
    with SPEC_FILE.open(encoding="utf-8") as handle:
        return Contract(json.load(handle))


class ContractCheck:
    """The checks for one request as the emulator serves it: request first, then response."""

    def __init__(
        self, log: ContractLog, request: web.Request, path: str, entry: dict[str, Any]
    ) -> None:
        started = time.perf_counter()
        self.log = log
        self.entry = entry
        self.shown = str(entry["path"])
        self.op, found = log.contract.check_request(
            request.method, path, request.query, shown_path=self.shown
        )
        log.add(found, entry)
        self.elapsed = time.perf_counter() - started

    def body(self, body: Any) -> None:
        if self.op is None:
            return
        started = time.perf_counter()
        found = self.log.contract.check_body(self.op, self.shown, body, present=body is not None)
        self.log.add(found, self.entry)
        self.elapsed += time.perf_counter() - started

    def response(self, response: web.StreamResponse) -> None:
        started = time.perf_counter()
        self.log.checked += 1
        if self.op is not None:
            body: Any = None
            raw = response.body if isinstance(response, web.Response) else None
            if isinstance(raw, bytes) and raw:
                body = json.loads(raw)
            found = self.log.contract.check_response(
                self.op, self.shown, response.status, body, present=body is not None
            )
            self.log.add(found, self.entry)
        self.elapsed += time.perf_counter() - started
        self.log.seconds += self.elapsed
        self.log.slowest = max(self.log.slowest, self.elapsed)
        self.log.times.append(self.elapsed)


def _pattern(spec_path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{\w+\})", spec_path)
    regex = "".join(
        f"(?P<{part[1:-1]}>[^/]+)" if part.startswith("{") else re.escape(part) for part in parts
    )
    return re.compile(f"^{regex}$")


def _tag(branch: Any) -> Any:
    """The single `type` value a `oneOf` branch requires (its tag), or None."""
    if not isinstance(branch, dict) or "type" not in branch.get("required", ()):
        return None
    tag = branch.get("properties", {}).get("type")
    if not isinstance(tag, dict):
        return None
    if "const" in tag:
        return tag["const"]
    values = tag.get("enum")
    return values[0] if isinstance(values, list) and len(values) == 1 else None


def _tagged_choice(schema: dict[str, Any]) -> dict[str, Any]:
    """A `oneOf` whose branches each require a distinct `type`, as a lookup by that tag.

    Message components and command options are such choices. jsonschema checks every
    branch of a `oneOf` (seven component kinds, each with nested choices); with distinct
    required tags exactly one branch can match, so "the tag is one of these, and the
    branch for that tag holds" means the same and checks one branch. It also makes the
    error the one of the branch the payload meant.
    """
    branches = schema.get("oneOf")
    if not isinstance(branches, list) or len(branches) < 2:
        return schema
    tags = [_tag(branch) for branch in branches]
    if None in tags or len(set(map(repr, tags))) != len(tags):
        return schema
    rest = {key: value for key, value in schema.items() if key != "oneOf"}
    choice: list[Any] = [
        {"type": "object", "required": ["type"], "properties": {"type": {"enum": tags}}}
    ]
    choice += [
        {"if": {"properties": {"type": {"const": tag}}}, "then": branch}
        for tag, branch in zip(tags, branches, strict=True)
    ]
    return {**rest, "allOf": [*rest.get("allOf", []), *choice]}


def _anchor_refs(schema: Any) -> Any:
    """Point the spec's local `#/components/...` refs at the registered spec document."""
    if isinstance(schema, dict):
        return {
            key: (
                f"{SPEC_URI}{value}"
                if key == "$ref" and isinstance(value, str) and value.startswith("#")
                else _anchor_refs(value)
            )
            for key, value in schema.items()
        }
    if isinstance(schema, list):
        return [_anchor_refs(item) for item in schema]
    return schema


def _clearest(error: ValidationError) -> ValidationError:
    """Inside a `oneOf`/`anyOf`, follow the one branch whose discriminator matched.

    A button with an unknown style fails every component branch; jsonschema's own pick may
    be "type 2 is not one of [10]" from another branch. The branch that accepted the
    `type` (or the null-or-object choice) is the one the payload meant.
    """
    while error.context:
        branches: dict[Any, list[ValidationError]] = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        meant = [
            errors
            for errors in branches.values()
            if not any(_is_discriminator(sub) for sub in errors)
        ]
        if not meant:
            return error if _all_consts(error) else _best([error])
        if len(meant) > 1:
            return _best([sub for errors in meant for sub in errors])
        error = max(meant[0], key=relevance)
    return error


def _best(errors: list[ValidationError]) -> ValidationError:
    found: ValidationError | None = best_match(errors)
    return errors[0] if found is None else found


def _all_consts(error: ValidationError) -> bool:
    return bool(error.context) and all(sub.validator == "const" for sub in error.context)


def _message(error: ValidationError) -> str:
    """The schema's message; "9 is not one of [1, 2, ...]" for a choice of constants."""
    if _all_consts(error):
        allowed = [sub.validator_value for sub in error.context]
        return f"{error.instance!r} is not one of {allowed}"
    return error.message


def _is_discriminator(error: ValidationError) -> bool:
    """A branch failing here was not the one meant: wrong JSON type, or a tag like `type`."""
    relative = list(error.relative_path)
    if not relative:
        return error.validator in ("type", "enum", "const")
    return len(relative) == 1 and error.validator in ("enum", "const")


def _types(schema: Mapping[str, Any]) -> frozenset[str]:
    kind = schema.get("type")
    if isinstance(kind, str):
        return frozenset({kind})
    if isinstance(kind, list):
        return frozenset(str(k) for k in kind)
    return frozenset()


def _coerce(value: str, types: frozenset[str]) -> Any:
    """A query string value as the JSON value its schema expects."""
    if "integer" in types and re.fullmatch(r"-?\d+", value):
        return int(value)
    if "number" in types:
        try:
            return float(value)
        except ValueError:
            return value
    # Discord reads True/true/1 and False/false/0 as booleans in a query string.
    if "boolean" in types and value.casefold() in ("true", "false", "1", "0"):
        return value.casefold() in ("true", "1")
    return value
