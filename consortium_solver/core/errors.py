"""Errors the package raises on purpose: bad input from a user, and bugs caught by self-checks; and
the few helpers that turn a file's problems (missing, a folder, a pipe, not UTF-8, hostile nesting)
into such errors, shared by every reader."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any


class InputError(ValueError):
    """Input that cannot be used: a file, row or path, field and value, and what is wrong.

    ``str(error)`` is always one line, e.g.
    ``pool.csv: row 4, field 'country', value 'XX': unknown country code``.
    The command line prints it and exits with code 2.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        where: str | None = None,
        field: str | None = None,
        value: Any = None,
    ) -> None:
        self.message = _one_line(message)
        self.source = source
        self.where = where
        self.field = field
        self.value = value
        super().__init__(self.__str__())

    def located(self, source: str | None = None, where: str | None = None) -> InputError:
        """Return a copy with the file (and row or path) filled in where they were unknown."""
        return InputError(
            self.message,
            source=self.source or source,
            where=self.where or where,
            field=self.field,
            value=self.value,
        )

    def lines(self) -> list[str]:
        """What the command line prints: ``error: <this error>``, one line (an error listing
        several problems gives one line for each)."""
        return [f"error: {self}"]

    def __str__(self) -> str:
        place = []
        if self.where:
            place.append(self.where)
        if self.field:
            place.append(f"field {self.field!r}")
        if self.value is not None:
            place.append(f"value {_short(self.value)}")
        head = ", ".join(place)
        parts = [p for p in (self.source, head) if p]
        return ": ".join([*parts, self.message])


class InternalError(RuntimeError):
    """A self-check failed: the solver and the independent validator disagree. Always a bug."""


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _short(value: Any, limit: int = 60) -> str:
    text = _one_line(repr(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def decode_text(data: bytes, source: str, hint: str = "") -> str:
    """UTF-8 text (a byte-order mark is allowed and dropped), or an input error naming the file and
    what the bytes look like (UTF-16 and Latin-1 are the usual suspects)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        looks = ""
        if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4] == b"\xff\xfe\x00\x00":
            looks = ", it looks like UTF-16 or UTF-32"
        raise InputError(
            f"not UTF-8 text (byte {exc.start + 1}{looks}){hint}", source=source
        ) from None


def too_deep_or_too_long(exc: Exception) -> str | None:
    """The words for a parser's failure on hostile nesting or numbers, or None for others."""
    if isinstance(exc, RecursionError):
        return "nested too deeply to read (a real file nests a few levels)"
    if isinstance(exc, ValueError) and "digits" in str(exc):
        return "a number with thousands of digits (a real file has none)"
    return None


def require_file(path: Path, what: str = "file") -> None:
    """An input error unless ``path`` is a regular file: missing, a folder, or a pipe or a device
    (which could block or never end) are each said in words."""
    source = str(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InputError(f"no such {what}", source=source) from None
    except OSError as exc:
        raise InputError(f"cannot read this {what}: {exc.strerror}", source=source) from None
    if stat.S_ISDIR(mode):
        raise InputError(f"a folder, not a {what}", source=source)
    if not stat.S_ISREG(mode):
        raise InputError(f"not a regular file (a pipe or a device), not a {what}", source=source)


def read_input(path: Path, what: str = "file") -> bytes:
    """The bytes of an input file, or an input error saying why not (see :func:`require_file`)."""
    require_file(path, what)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read this {what}: {exc.strerror}", source=str(path)) from None
