"""Checking a call model an author writes (`consortium calls check FILE.toml`): every problem at
once, each with the line of the TOML file it is on — where a validation error's key path
(``rules[3].min``) was written, found by reading the file's table headers and keys in order."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from consortium_solver.core.errors import InputError, decode_text, read_input
from consortium_solver.rules.call import Call
from consortium_solver.rules.kinds import RULE_KINDS
from consortium_solver.rules.loading import format_loc, read_sector_links

_HEADER = re.compile(r"^\s*\[\[?\s*([\w.\-\"]+)\s*\]\]?")
_KEY = re.compile(r"^\s*([\w\-]+)\s*=")


def check_call_file(path: Path) -> list[str]:
    """Every problem of the call model at ``path`` as "FILE:LINE: key: what", in file order; an
    empty list when the model loads."""
    source = str(path)
    text = decode_text(read_input(path, "call model file"), source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_of_message(str(exc))
        return [f"{source}:{line}: not valid TOML: {exc}"]
    problems: list[tuple[int, str]] = []
    links = data.pop("sector_links_file", None)
    if links is not None:
        try:
            relative = Path(str(links))
            if relative.is_absolute() or ".." in relative.parts:
                raise InputError("a sector link matrix is a file in the model's own folder")
            data["sector_links"] = read_sector_links(path.parent / relative)
        except InputError as exc:
            problems.append((_line(text, ("sector_links_file",)), f"sector_links_file: {exc}"))
    try:
        Call.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        for error in errors:
            if error["type"] == "too_short" and _inside(error["loc"], errors):
                continue  # a list emptied by its items' own errors, which are said already
            loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p in RULE_KINDS))
            at = (*loc, "kind") if error["type"] == "union_tag_invalid" else loc
            if "unknown list" in str(error["msg"]):  # found while the lists are expanded
                at = (*loc, "values")
            said = f"{format_loc(loc) or 'the model'}: {_words(error)}"
            problems.append((_line(text, at), said))
    return [f"{source}:{line}: {what}" for line, what in sorted(problems)]


def _inside(loc: tuple[Any, ...], errors: list[Any]) -> bool:
    """Whether another error lies inside ``loc`` (a key below it)."""
    return any(len(e["loc"]) > len(loc) and tuple(e["loc"][: len(loc)]) == loc for e in errors)


def _words(error: Any) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown key (value {error['input']!r})"
    if kind == "missing":
        return "missing key"
    if kind == "union_tag_invalid":
        return f"unknown rule kind {error['input'].get('kind')!r} (known: {', '.join(RULE_KINDS)})"
    value = error.get("input")
    shown = "" if isinstance(value, dict | list) else f" (value {value!r})"
    return str(error["msg"]).removeprefix("Value error, ") + shown


def _line(text: str, loc: tuple[Any, ...]) -> int:
    """The line (from 1) where ``loc`` was written: the n-th ``[[table]]`` for a list index, the
    key's own line inside its table; the nearest enclosing line found when the key is absent."""
    lines = text.splitlines()
    start, end, found = 0, len(lines), 1
    parts = list(loc)
    table: str | None = None
    while parts:
        part = parts.pop(0)
        if isinstance(part, str) and parts and isinstance(parts[0], int):
            index = parts.pop(0)
            headers = [k for k in range(start, end) if _header(lines[k]) == part]
            if index < len(headers):
                start = headers[index]
                found = start + 1
                following = [k for k in range(start + 1, end) if _HEADER.match(lines[k])]
                end = following[0] if following else end
            else:  # an inline list (conditions = [{...}]): its key's line
                keys = [
                    k for k in range(start, end) if (m := _KEY.match(lines[k])) and m[1] == part
                ]
                found = keys[0] + 1 if keys else found
                break
            table = part
            continue
        if isinstance(part, str):
            header = [k for k in range(start, end) if _header(lines[k]) == part and table is None]
            if header:  # a table of its own: [objective]
                start = header[0]
                found = start + 1
                following = [k for k in range(start + 1, len(lines)) if _HEADER.match(lines[k])]
                end = following[0] if following else len(lines)
                table = part
                continue
            keys = [k for k in range(start, end) if (m := _KEY.match(lines[k])) and m[1] == part]
            if keys:
                found = keys[0] + 1
            break
    return found


def _header(line: str) -> str | None:
    match = _HEADER.match(line)
    return match[1].strip('"') if match else None


def _line_of_message(message: str) -> int:
    match = re.search(r"line (\d+)", message)
    return int(match[1]) if match else 1
