"""The ``consortium`` application: the typer app, the error guard every command runs under, and the
console helpers.

Exit codes: 0 done (eligible / found), 1 a valid "no" (not eligible / infeasible), 2 bad input or
usage (one line on stderr naming file, row and field), 3 an internal error (a bug; ``--debug`` shows
the traceback). Errors never print a traceback unless ``--debug`` is given.
"""

from __future__ import annotations

import functools
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.status import Status

from consortium_solver.core.clock import interrupt, interrupted
from consortium_solver.core.errors import InputError
from consortium_solver.core.options import OptionError

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
            if isinstance(exc, OptionError):
                exc = exc.named()  # the library names fields: say them as this command's flags
            for line in exc.lines()[:-1]:
                sys.stderr.write(line.replace("\n", " ") + "\n")
            raise _fail(exc.lines()[-1], 2) from None
        except Exception as exc:
            if _state["debug"]:
                raise
            logging.getLogger("consortium_solver").debug("internal error", exc_info=True)
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
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="say on stderr what each phase of a run does"),
    ] = False,
) -> None:
    """Eligible, high-quality consortia of cluster organisations for EU funding calls."""
    _state["debug"] = debug
    if verbose or debug:
        show_log(logging.DEBUG if debug else logging.INFO)


def show_log(level: int) -> None:
    """The library's log (silent by default) on stderr, one line a message."""
    logger = logging.getLogger("consortium_solver")
    if not any(getattr(h, "_consortium", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(relativeCreated)8.0f ms  %(name)s: %(message)s"))
        handler._consortium = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(level)


def emit(text: str) -> None:
    """Write an answer on stdout whole. The bytes go out by ``os.write`` until all are written:
    a write to a pipe that a signal interrupts returns part of the bytes, and Python's text
    layer over an unbuffered stdout (``PYTHONUNBUFFERED``, ``-u``) drops the rest — a JSON
    answer cut at 64 KiB with exit 0. Ctrl-C is held meanwhile: a second one would raise in the
    middle of the write; one that comes is acted on once the answer is out."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a file (a test runner's capture)
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    sys.stdout.flush()
    came: list[bool] = []
    main = threading.current_thread() is threading.main_thread()
    held = signal.signal(signal.SIGINT, lambda *_: came.append(interrupted())) if main else None
    logging.getLogger(__name__).info("writing the answer (%d characters)", len(text))
    try:
        data = memoryview(text.encode("utf-8"))
        while data:
            data = data[os.write(fd, data) :]
    finally:
        if held is not None:
            signal.signal(signal.SIGINT, held)
    if came:
        if any(came):  # a second Ctrl-C: stop now, as it would have without the answer
            raise KeyboardInterrupt
        interrupt()


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
