"""Errors the package raises on purpose: bad input from a user, and bugs caught by self-checks."""

from __future__ import annotations

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
