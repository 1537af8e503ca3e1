"""A fast yes/no JSON Schema check for the keywords Discord's spec uses.

jsonschema walks a schema anew on every call (a new validator object per keyword it
descends into), which costs milliseconds for a message response. `compile_schema` turns a
schema, once, into nested closures that only answer "valid or not". contract.py asks this
first and calls jsonschema (the reference, and the source of every error message) only
when the answer is no, so a disagreement can never hide a violation jsonschema would see
unless this check wrongly says yes; tests/wire/test_contract.py compares the two.

Keywords: type, const, enum, properties, required, additionalProperties,
minProperties, maxProperties, items, minItems, maxItems, uniqueItems, minLength,
maxLength, minimum, maximum, pattern, allOf, anyOf, oneOf, if/then/else, and `$ref` to
the spec's components. Annotations (format, description, title, contentEncoding...) are
ignored, as jsonschema ignores them by default. Any other keyword raises `Unsupported`,
and that schema is then checked by jsonschema alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]
ANNOTATIONS = frozenset(
    {
        "$schema",
        "description",
        "title",
        "format",
        "contentEncoding",
        "contentMediaType",
        "default",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "x-discord-union",
    }
)


class Unsupported(ValueError):
    """The schema uses a keyword this checker does not implement."""


def _is_type(value: Any, kind: str) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    if kind == "null":
        return value is None
    if kind == "boolean":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if kind == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if kind == "number":
        return isinstance(value, int | float)
    raise Unsupported(f"type {kind!r}")


def json_equal(one: Any, other: Any) -> bool:
    """Equality as JSON Schema defines it: true is not 1, 1.0 is 1."""
    if isinstance(one, bool) or isinstance(other, bool):
        return isinstance(one, bool) and isinstance(other, bool) and one == other
    if isinstance(one, list) and isinstance(other, list):
        return len(one) == len(other) and all(map(json_equal, one, other))
    if isinstance(one, dict) and isinstance(other, dict):
        return one.keys() == other.keys() and all(json_equal(one[k], other[k]) for k in one)
    if isinstance(one, int | float) and isinstance(other, int | float):
        return one == other
    return type(one) is type(other) and one == other


class Compiler:
    """Compiles schemas; `resolve_ref` gives the (inlined) schema for a kept `$ref`."""

    def __init__(self, resolve_ref: Callable[[str], Any]) -> None:
        self.resolve_ref = resolve_ref
        self._refs: dict[str, Check] = {}
        # Inlined components are shared dicts: compile each once (kept alive with it).
        self._done: dict[int, tuple[Any, Check]] = {}

    def compile(self, schema: Any) -> Check:
        done = self._done.get(id(schema))
        if done is not None and done[0] is schema:
            return done[1]
        check = self._compile(schema)
        if isinstance(schema, dict):
            self._done[id(schema)] = (schema, check)
        return check

    def _compile(self, schema: Any) -> Check:
        if schema is True:
            return lambda value: True
        if schema is False:
            return lambda value: False
        if not isinstance(schema, dict):
            raise Unsupported(f"schema {schema!r}")
        checks: list[Check] = []
        for key, argument in schema.items():
            if key in ANNOTATIONS or key.startswith("x-"):
                continue
            build = getattr(self, "_" + key.replace("$", "dollar_"), None)
            if key in ("then", "else"):
                continue  # compiled with "if"
            if build is None:
                raise Unsupported(key)
            checks.append(build(argument, schema))
        if not checks:
            return lambda value: True
        if len(checks) == 1:
            return checks[0]
        return lambda value: all(check(value) for check in checks)

    # ----- keywords ---------------------------------------------------------------------

    def _type(self, kinds: Any, schema: dict[str, Any]) -> Check:
        wanted = [kinds] if isinstance(kinds, str) else list(kinds)
        for kind in wanted:
            _is_type(None, kind)  # raises Unsupported for an unknown type name
        return lambda value: any(_is_type(value, kind) for kind in wanted)

    def _const(self, expected: Any, schema: dict[str, Any]) -> Check:
        return lambda value: json_equal(value, expected)

    def _enum(self, options: list[Any], schema: dict[str, Any]) -> Check:
        return lambda value: any(json_equal(value, option) for option in options)

    def _properties(self, properties: dict[str, Any], schema: dict[str, Any]) -> Check:
        compiled = {name: self.compile(sub) for name, sub in properties.items()}

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            return all(compiled[name](item) for name, item in value.items() if name in compiled)

        return check

    def _required(self, names: list[str], schema: dict[str, Any]) -> Check:
        return lambda value: not isinstance(value, dict) or all(n in value for n in names)

    def _additionalProperties(self, extra: Any, schema: dict[str, Any]) -> Check:
        known = set(schema.get("properties", {}))
        if "patternProperties" in schema:
            raise Unsupported("patternProperties")
        sub = self.compile(extra)

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            return all(sub(item) for name, item in value.items() if name not in known)

        return check

    def _minProperties(self, limit: int, schema: dict[str, Any]) -> Check:
        return lambda value: not isinstance(value, dict) or len(value) >= limit

    def _maxProperties(self, limit: int, schema: dict[str, Any]) -> Check:
        return lambda value: not isinstance(value, dict) or len(value) <= limit

    def _items(self, items: Any, schema: dict[str, Any]) -> Check:
        if "prefixItems" in schema:
            raise Unsupported("prefixItems")
        sub = self.compile(items)
        return lambda value: not isinstance(value, list) or all(sub(item) for item in value)

    def _minItems(self, limit: int, schema: dict[str, Any]) -> Check:
        return lambda value: not isinstance(value, list) or len(value) >= limit

    def _maxItems(self, limit: int, schema: dict[str, Any]) -> Check:
        return lambda value: not isinstance(value, list) or len(value) <= limit

    def _uniqueItems(self, unique: bool, schema: dict[str, Any]) -> Check:
        def check(value: Any) -> bool:
            if not unique or not isinstance(value, list):
                return True
            return not any(
                json_equal(value[i], value[j])
                for i in range(len(value))
                for j in range(i + 1, len(value))
            )

        return check

    def _minLength(self, limit: int, schema: dict[str, Any]) -> Check:
        return lambda value: not isinstance(value, str) or len(value) >= limit

    def _maxLength(self, limit: int, schema: dict[str, Any]) -> Check:
        return lambda value: not isinstance(value, str) or len(value) <= limit

    def _minimum(self, limit: float, schema: dict[str, Any]) -> Check:
        return lambda value: not _is_type(value, "number") or value >= limit

    def _maximum(self, limit: float, schema: dict[str, Any]) -> Check:
        return lambda value: not _is_type(value, "number") or value <= limit

    def _pattern(self, pattern: str, schema: dict[str, Any]) -> Check:
        compiled = re.compile(pattern)
        return lambda value: not isinstance(value, str) or compiled.search(value) is not None

    def _allOf(self, schemas: list[Any], schema: dict[str, Any]) -> Check:
        subs = [self.compile(sub) for sub in schemas]
        return lambda value: all(sub(value) for sub in subs)

    def _anyOf(self, schemas: list[Any], schema: dict[str, Any]) -> Check:
        subs = [self.compile(sub) for sub in schemas]
        return lambda value: any(sub(value) for sub in subs)

    def _oneOf(self, schemas: list[Any], schema: dict[str, Any]) -> Check:
        subs = [self.compile(sub) for sub in schemas]
        return lambda value: sum(1 for sub in subs if sub(value)) == 1

    def _if(self, condition: Any, schema: dict[str, Any]) -> Check:
        test = self.compile(condition)
        then = self.compile(schema.get("then", True))
        otherwise = self.compile(schema.get("else", True))
        return lambda value: then(value) if test(value) else otherwise(value)

    def _dollar_ref(self, ref: str, schema: dict[str, Any]) -> Check:
        if ref not in self._refs:
            self._refs[ref] = lambda value: True  # placeholder while compiling a cycle
            self._refs[ref] = self.compile(self.resolve_ref(ref))
        refs = self._refs
        return lambda value: refs[ref](value)
