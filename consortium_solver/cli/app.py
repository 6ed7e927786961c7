"""The ``consortium`` application: the typer app, the error guard every command runs under, and the
console helpers.

Exit codes: 0 done (eligible / found), 1 a valid "no" (not eligible / infeasible), 2 bad input or
usage (one line on stderr naming file, row and field), 3 an internal error (a bug; ``--debug`` shows
the traceback). Errors never print a traceback unless ``--debug`` is given.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.status import Status

from consortium_solver.errors import InputError

app = typer.Typer(
    name="consortium",
    help="Eligible, high-quality consortia of cluster organisations for EU funding calls.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., Any])
_state = {"debug": False}


def stdout() -> Console:
    """The console for results: no highlighting, no :emoji: codes (user text is shown as written;
    markup in it is escaped by render.plain)."""
    return Console(highlight=False, emoji=False)


def _fail(message: str, code: int) -> typer.Exit:
    sys.stderr.write(message.replace("\n", " ") + "\n")
    return typer.Exit(code)


def guarded(fn: F) -> F:
    """Turn input errors into one line and exit 2; other exceptions into exit 3 (no traceback)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except InputError as exc:
            for line in exc.lines()[:-1]:
                sys.stderr.write(line.replace("\n", " ") + "\n")
            raise _fail(exc.lines()[-1], 2) from None
        except Exception as exc:
            if _state["debug"]:
                raise
            raise _fail(
                f"internal error: {type(exc).__name__}: {exc} (a bug: rerun with --debug"
                " for the traceback and report it)",
                3,
            ) from None

    return wrapper  # type: ignore[return-value]


@app.callback()
def _main(
    debug: Annotated[
        bool, typer.Option("--debug", help="show tracebacks of internal errors")
    ] = False,
) -> None:
    """Eligible, high-quality consortia of cluster organisations for EU funding calls."""
    _state["debug"] = debug


@contextmanager
def live_status(text: str, quiet: bool) -> Iterator[Status | None]:
    """A live line on stderr while a solver runs, when stderr is a terminal and output is not JSON."""
    err = Console(stderr=True, highlight=False)
    if quiet or not err.is_terminal:
        yield None
        return
    with err.status(text, spinner="dots") as status:
        yield status


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def exit_code(found: bool, interrupted: bool) -> int:
    """0 with an answer, 1 without one; 130 when the user interrupted before there was one (said on
    stderr: an interrupted run with an answer prints and writes it, marked interrupted)."""
    if found:
        return 0
    if interrupted:
        sys.stderr.write("interrupted before any answer was found\n")
        return 130
    return 1
