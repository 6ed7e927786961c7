"""Loading call models: packaged ones by id, or a TOML file (with its sector link matrix); and the
one-line form of a pydantic error that every loader reports.

Every error is an :class:`~consortium_solver.core.errors.InputError` naming the file, the key path and the
value (README, "Call models").
"""

from __future__ import annotations

import csv
import io
import math
import tomllib
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from consortium_solver import reference
from consortium_solver.core.errors import InputError, decode_text, read_input, too_deep_or_too_long
from consortium_solver.rules.call import Call
from consortium_solver.rules.kinds import RULE_KINDS


def _models_dir() -> Any:
    return resources.files("consortium_solver").joinpath("models")


@cache
def packaged_calls() -> dict[str, str]:
    """Packaged call models: call id -> file name."""
    out: dict[str, str] = {}
    for entry in sorted(_models_dir().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
            if data.get("kind") == "exchange_scheme":
                continue  # an exchange scheme (rules/scheme.py), not a call
            out[str(data.get("id", entry.name))] = entry.name
    return out


def load_call(ref: str | Path, *, on: date | None = None) -> Call:
    """Load a call model by packaged id (case-insensitive) or file stem, or from a TOML file path;
    its dated country lists (``@eu``, ``@horizon``, ...) read on ``on``, else on the model's
    ``deadline``, else today.

    Raises:
        InputError: the file is missing, not TOML, or not a valid call model; or no such id.
    """
    text_ref = str(ref)
    path = Path(text_ref)
    if path.suffix == ".toml" or path.exists():
        text = decode_text(read_input(path, "call model file"), text_ref)
        return _load_call_file(text, text_ref, path.parent, on)
    for call_id, name in packaged_calls().items():
        if text_ref.lower() in (call_id.lower(), name.removesuffix(".toml").lower()):
            entry = _models_dir().joinpath(name)
            return _load_call_file(entry.read_text(encoding="utf-8"), f"models/{name}", None, on)
    known = ", ".join(packaged_calls())
    raise InputError(f"unknown call {text_ref!r} (packaged calls: {known}; or give a .toml file)")


def _load_call_file(text: str, source: str, folder: Path | None, on: date | None) -> Call:
    data = parse_toml(text, source)
    links_file = data.pop("sector_links_file", None)
    if links_file is not None:
        links = _links_path(links_file, folder or Path("."), source)
        data["sector_links"] = read_sector_links(links)
    deadline = data.get("deadline")
    day = on or (deadline if type(deadline) is date else None) or date.today()
    try:
        return Call.model_validate(data, context={"on": day})
    except ValidationError as exc:
        raise validation_error(exc, source) from None


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """A TOML document, or a one-line input error (bad syntax, hostile nesting or numbers)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", source=source) from None
    except (RecursionError, ValueError) as exc:
        raise InputError(too_deep_or_too_long(exc) or str(exc), source=source) from None


def file_in_folder(name: Any, folder: Path, source: str, field: str, what: str) -> Path:
    """A file a model names (``field``): a relative path inside the model's own folder (a model
    from elsewhere must not make the tool read /etc/passwd or ../secrets)."""
    relative = Path(str(name))
    if relative.is_absolute() or ".." in relative.parts or not str(name).strip():
        raise InputError(
            f"a {what} is a file in the model's own folder (no absolute path, no '..')",
            source=source,
            field=field,
            value=str(name),
        )
    return folder / relative


def _links_path(name: Any, folder: Path, source: str) -> Path:
    """The link matrix a call model names, in its own folder."""
    path = file_in_folder(name, folder, source, "sector_links_file", "sector link matrix")
    if not path.exists():
        raise InputError(
            "no such sector link matrix file (paths are relative to the call model)",
            source=source,
            field="sector_links_file",
            value=str(name),
        )
    return path


def read_sector_links(path: Path) -> list[dict[str, Any]]:
    """Read a symmetric sector link matrix: a header row of sector ids, then one row per sector.

    Errors name the row and column but never quote the file's cells: a model could point at a file
    that is not a matrix at all, and its contents are not ours to print."""
    source = str(path)
    text = decode_text(read_input(path, "sector link matrix"), source)
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InputError(f"not a CSV sector link matrix ({exc})", source=source) from None
    if not rows or len(rows[0]) < 2:
        raise InputError("empty sector link matrix", source=source)
    header = [h.strip() for h in rows[0][1:]]
    known = reference.sectors()
    for number, name in enumerate(header, start=2):
        if name not in known:
            raise InputError(
                f"column {number} does not name a known sector (see `consortium sectors`)",
                source=source,
                where="row 1",
            )
    matrix: dict[tuple[str, str], float] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        sector = row[0].strip()
        if sector not in known:
            raise InputError(
                "the first cell does not name a known sector (see `consortium sectors`)",
                source=source,
                where=f"row {line}",
            )
        if len(row) - 1 != len(header):
            raise InputError(
                f"{len(row) - 1} values for {len(header)} columns",
                source=source,
                where=f"row {line}",
            )
        for col, cell in zip(header, row[1:], strict=True):
            try:
                weight = float(cell)
            except ValueError:
                weight = math.nan
            if not 0.0 <= weight <= 1.0:  # also refuses nan
                raise InputError(
                    "link weights are numbers from 0 to 1",
                    source=source,
                    where=f"row {line}",
                    field=col,
                )
            matrix[(sector, col)] = weight
    links = []
    for (s, t), w in sorted(matrix.items()):
        if s >= t:
            continue
        back = matrix.get((t, s))
        if back is not None and back != w:
            raise InputError(
                f"matrix is not symmetric: {s}/{t} = {w} but {t}/{s} = {back}", source=source
            )
        links.append({"a": s, "b": t, "weight": w})
    return links


def validation_error(exc: ValidationError, source: str) -> InputError:
    """Turn pydantic's error list into one line naming the file, the key path and the value."""
    errors = exc.errors()
    first = errors[0]
    path = format_loc(first["loc"])
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "unknown key"
    elif first["type"] == "missing":
        message = "missing key"
    elif first["type"] == "union_tag_invalid":
        kinds = ", ".join(RULE_KINDS)
        message = f"unknown rule kind {first['input'].get('kind')!r} (known: {kinds})"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    value = first.get("input") if first["type"] not in {"missing", "union_tag_invalid"} else None
    if isinstance(value, (dict, list)):
        value = None
    where = f"key {path!r}" if path else None
    return InputError(message + more, source=source, where=where, value=value)


def format_loc(loc: tuple[int | str, ...]) -> str:
    """('rules', 2, 'size', 'min') -> 'rules[2].min' (discriminator tags dropped)."""
    out = ""
    for i, part in enumerate(loc):
        if isinstance(part, int):
            out += f"[{part}]"
        elif i > 0 and isinstance(loc[i - 1], int) and part in RULE_KINDS:
            continue
        else:
            out += f".{part}" if out else str(part)
    return out
