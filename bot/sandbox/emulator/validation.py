"""Discord's 50035 checks for message, modal and component payloads."""

from __future__ import annotations

from typing import Any

from bot.sandbox.emulator.errors import EMPTY_MESSAGE, ApiError, FormErrors
from bot.sandbox.emulator.mentions import check_allowed_mentions

IS_COMPONENTS_V2 = 1 << 15
BUTTON = 2
STRING_SELECT = 3
TEXT_INPUT = 4
LABEL = 18
SELECTS = {3, 5, 6, 7, 8}


def check_message(payload: dict[str, Any], *, has_files: bool = False, edit: bool = False) -> None:
    """Raise 50035 (or 50006 for an empty message) like Discord for a message body."""
    errors = FormErrors()
    content = payload.get("content")
    if content is not None and len(str(content)) > 2000:
        errors.too_long(("content",), 2000)
    embeds = payload.get("embeds") or []
    if len(embeds) > 10:
        errors.too_long(("embeds",), 10)
    total = 0
    for index, embed in enumerate(embeds[:10]):
        total += _check_embed(errors, index, embed)
    if total > 6000:
        errors.add(
            ("embeds",), "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000"
        )
    check_allowed_mentions(errors, payload.get("allowed_mentions"))
    v2 = bool(int(payload.get("flags") or 0) & IS_COMPONENTS_V2)
    _check_components(errors, payload.get("components") or [], v2=v2)
    errors.raise_if_any()
    if edit:
        return
    has_body = bool(content) or bool(embeds) or bool(payload.get("components"))
    has_body = (
        has_body or has_files or bool(payload.get("sticker_ids")) or bool(payload.get("poll"))
    )
    if not has_body:
        raise ApiError(400, EMPTY_MESSAGE, "Cannot send an empty message")


def _check_embed(errors: FormErrors, index: int, embed: dict[str, Any]) -> int:
    path: tuple[str | int, ...] = ("embeds", index)
    size = 0
    limits = {"title": 256, "description": 4096}
    for key, limit in limits.items():
        text = str(embed.get(key) or "")
        size += len(text)
        if len(text) > limit:
            errors.too_long((*path, key), limit)
    fields = embed.get("fields") or []
    if len(fields) > 25:
        errors.too_long((*path, "fields"), 25)
    for number, field in enumerate(fields):
        name, value = str(field.get("name") or ""), str(field.get("value") or "")
        size += len(name) + len(value)
        if not name or not value:
            errors.add((*path, "fields", number), "BASE_TYPE_REQUIRED", "This field is required")
        if len(name) > 256:
            errors.too_long((*path, "fields", number, "name"), 256)
        if len(value) > 1024:
            errors.too_long((*path, "fields", number, "value"), 1024)
    footer = str((embed.get("footer") or {}).get("text") or "")
    author = str((embed.get("author") or {}).get("name") or "")
    size += len(footer) + len(author)
    if len(footer) > 2048:
        errors.too_long((*path, "footer", "text"), 2048)
    if len(author) > 256:
        errors.too_long((*path, "author", "name"), 256)
    return size


def _check_components(errors: FormErrors, rows: list[dict[str, Any]], *, v2: bool) -> None:
    if not v2 and len(rows) > 5:
        errors.too_long(("components",), 5)
    if v2 and len(rows) > 40:
        errors.too_long(("components",), 40)
    seen: set[str] = set()
    for row_index, row in enumerate(rows):
        children = row.get("components") if row.get("type") == 1 else [row]
        if row.get("type") == 1 and len(children or []) > 5:
            errors.too_long(("components", row_index, "components"), 5)
        for child_index, child in enumerate(children or []):
            path: tuple[str | int, ...] = ("components", row_index, "components", child_index)
            _check_component(errors, path, child, seen)


def _check_component(
    errors: FormErrors, path: tuple[str | int, ...], item: dict[str, Any], seen: set[str]
) -> None:
    custom_id = item.get("custom_id")
    if custom_id is not None:
        if len(str(custom_id)) > 100:
            errors.too_long((*path, "custom_id"), 100)
        if custom_id in seen:
            errors.add(
                (*path, "custom_id"),
                "COMPONENT_CUSTOM_ID_DUPLICATED",
                "Component custom id cannot be duplicated",
            )
        seen.add(str(custom_id))
    if item.get("type") == BUTTON:
        if len(str(item.get("label") or "")) > 80:
            errors.too_long((*path, "label"), 80)
        if item.get("style") != 5 and item.get("style") != 6 and custom_id is None:
            errors.add((*path, "custom_id"), "BASE_TYPE_REQUIRED", "This field is required")
    if item.get("type") in SELECTS:
        if len(item.get("options") or []) > 25:
            errors.too_long((*path, "options"), 25)
        if item.get("placeholder") and len(str(item["placeholder"])) > 150:
            errors.too_long((*path, "placeholder"), 150)


def check_modal(data: dict[str, Any]) -> None:
    """Raise 50035 like Discord for a modal (callback type 9)."""
    errors = FormErrors()
    if len(str(data.get("title") or "")) > 45:
        errors.too_long(("data", "title"), 45)
    if not data.get("title"):
        errors.add(("data", "title"), "BASE_TYPE_REQUIRED", "This field is required")
    if not data.get("custom_id"):
        errors.add(("data", "custom_id"), "BASE_TYPE_REQUIRED", "This field is required")
    elif len(str(data["custom_id"])) > 100:
        errors.too_long(("data", "custom_id"), 100)
    rows = data.get("components") or []
    if not rows:
        errors.add(("data", "components"), "BASE_TYPE_MIN_LENGTH", "Must be 1 or more in length.")
    if len(rows) > 5:
        errors.too_long(("data", "components"), 5)
    for index, row in enumerate(rows):
        for item in modal_inputs(row):
            path: tuple[str | int, ...] = ("data", "components", index)
            if item.get("type") == TEXT_INPUT:
                _check_text_input(errors, path, item, row)
            elif item.get("type") in CHOICE_LIMITS:
                _check_choice(errors, path, item, row)
    errors.raise_if_any()


# Radio group 2-10 options, checkbox group 1-10 (Discord's spec); a checkbox has none.
CHOICE_LIMITS = {21: (2, 10), 22: (1, 10), 23: (0, 0)}


def _check_choice(
    errors: FormErrors, path: tuple[str | int, ...], item: dict[str, Any], row: dict[str, Any]
) -> None:
    if row.get("type") != LABEL:
        errors.add(
            (*path, "type"), "COMPONENT_LAYOUT_INVALID", "Choice inputs must be inside a label."
        )
    if len(str(row.get("label") or "")) > 45:
        errors.too_long((*path, "label"), 45)
    if len(str(row.get("description") or "")) > 100:
        errors.too_long((*path, "description"), 100)
    low, high = CHOICE_LIMITS[int(item["type"])]
    options = item.get("options") or []
    if high and not low <= len(options) <= high:
        errors.add(
            (*path, "component", "options"),
            "BASE_TYPE_BAD_LENGTH",
            f"Must be between {low} and {high} in length.",
        )
    values = [str(o.get("value")) for o in options]
    if len(set(values)) != len(values):
        errors.add((*path, "component", "options"), "DUPLICATE_VALUE", "Values must be unique.")


def _check_text_input(
    errors: FormErrors, path: tuple[str | int, ...], item: dict[str, Any], row: dict[str, Any]
) -> None:
    label = item.get("label") if row.get("type") == 1 else row.get("label")
    if label is not None and len(str(label)) > 45:
        errors.too_long((*path, "label"), 45)
    if item.get("placeholder") and len(str(item["placeholder"])) > 100:
        errors.too_long((*path, "placeholder"), 100)
    for key in ("min_length", "max_length"):
        if item.get(key) is not None and int(item[key]) > 4000:
            errors.add(
                (*path, key), "NUMBER_TYPE_MAX", "int value should be less than or equal to 4000."
            )
    if item.get("value") and len(str(item["value"])) > 4000:
        errors.too_long((*path, "value"), 4000)


def modal_inputs(row: dict[str, Any]) -> list[dict[str, Any]]:
    """The inputs in one top-level modal component (an action row or a label)."""
    if row.get("type") == 1:
        return list(row.get("components") or [])
    if row.get("type") == LABEL:
        return [row["component"]]
    return [row]
