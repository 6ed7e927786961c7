"""The contract every task's options share: one frozen pydantic model per task (``BuildOptions``,
``GroupOptions``, ``ExchangeOptions``, ``MdgpOptions``), each a :class:`TaskOptions` — the limits
(:class:`~consortium_solver.core.clock.Limits`), the seed and the workers — plus its own fields.

The command line, the web app and the benchmark suites each build these models and keep them as
their JSON (``model_dump`` / ``model_validate``): a field added to a model reaches every surface
without a copy to update. Bad values are refused by the model, every problem at once, as an
:class:`OptionError` naming the *field*; each surface words the field its own way (the command
line as its flag, ``time_limit`` → ``--time-limit``; the web app as its form's label).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Self, TypeVar

from pydantic import BaseModel, Field, ValidationError

from consortium_solver.core.clock import Limits
from consortium_solver.core.errors import InputError


class TaskOptions(Limits):
    """What every task's options hold: the limits, the random seed and the solver's threads."""

    seed: int = Field(default=0, ge=0, lt=2**31, description="random seed")
    workers: int = Field(
        default=2, ge=1, le=256, description="solver threads (deterministic runs use one)"
    )

    @property
    def threads(self) -> int:
        """The threads a run really uses: one in deterministic mode (parallel workers race)."""
        return 1 if self.deterministic else self.workers

    @classmethod
    def checked(cls, data: Mapping[str, Any] | None = None, /, **values: Any) -> Self:
        """The options from ``data`` and ``values``, or an :class:`OptionError` listing every
        field that is wrong."""
        return checked(cls, data, **values)


class OptionError(InputError):
    """Options that cannot be used: one ``(field, value, message)`` per problem, all at once.
    ``field`` is the option's field name (``time_limit``); :meth:`named` words it for a surface."""

    def __init__(self, problems: Sequence[tuple[str, Any, str]]) -> None:
        self.problems = tuple(problems)
        field, value, message = self.problems[0]
        super().__init__(message, field=field, value=value)

    @classmethod
    def of(cls, exc: ValidationError) -> OptionError:
        problems = []
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"]) or "options"
            message = str(error["msg"]).removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                message = "no such option"
            problems.append((field, error.get("input"), message))
        return cls(problems)

    @classmethod
    def one(cls, field: str, value: Any, message: str) -> OptionError:
        return cls([(field, value, message)])

    def named(self, name: Mapping[str, str] | None = None) -> OptionError:
        """The same problems with each field worded by ``name`` (a field's flag or label), or
        as a command-line flag (``time_limit`` → ``--time-limit``) when ``name`` lacks it."""
        words = name or {}
        return OptionError(
            [(words.get(f, flag(f)), v, m) for f, v, m in self.problems],
        )

    def lines(self) -> list[str]:
        return [f"error: {InputError(m, field=f, value=v)}" for f, v, m in self.problems]


M = TypeVar("M", bound=BaseModel)


def checked(model: type[M], data: Mapping[str, Any] | None = None, /, **values: Any) -> M:
    """``model`` from ``data`` and ``values``, or an :class:`OptionError` listing every field
    that is wrong (for any options-like model: the tasks' options, a build's demands)."""
    try:
        return model.model_validate({**(data or {}), **values})
    except ValidationError as exc:
        raise OptionError.of(exc) from None


def flag(field: str) -> str:
    """A field's command-line flag: ``time_limit`` → ``--time-limit``."""
    if field.startswith("-"):
        return field
    return "--" + field.split(".")[0].replace("_", "-")
