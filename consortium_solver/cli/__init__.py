"""The ``consortium`` command line: parse, call the library, render with rich.

:mod:`.app` holds the typer app and the error guard (exit codes 0/1/2/3), :mod:`.options` every
parser of option text, :mod:`.render` what people see; each command is a module of its own.
"""

# ruff: noqa: I001 (the commands are imported in the order of `consortium --help`)
import signal
import sys
from typing import Any

import typer

# Commands in the order of `consortium --help`.
from consortium_solver.cli import (
    importing,
    check,
    build,
    group,
    exchange,
    calls,
    generate,
    bench,
    schema,
    serve,
    warm,
)
from consortium_solver.cli.app import app
from consortium_solver.core.clock import interrupt, interrupted, reset_interrupt


def main() -> None:
    """Console-script entry point: the app, with Ctrl-C asking the search to stop and keep its best
    answer (a second Ctrl-C stops at once), and usage errors on one line like every other error."""
    reset_interrupt()
    signal.signal(signal.SIGINT, _on_sigint)
    try:
        code = app(args=hoisted(sys.argv[1:]), standalone_mode=False)
    except typer.TyperException as exc:  # typer's usage errors (its own copy of click's)
        code = _usage_error(exc)
    except (typer.Abort, KeyboardInterrupt):
        sys.stderr.write("interrupted\n")
        code = 130
    sys.exit(code if isinstance(code, int) else 0)


# Options of the program as a whole that people also type after the command's name
# (`consortium exchange pool.csv --debug`): moved before it, where the program reads them.
GLOBAL_FLAGS = ("--debug", "--verbose")


def hoisted(args: list[str]) -> list[str]:
    """The arguments with :data:`GLOBAL_FLAGS` given after the command moved before it (never
    past a ``--``, after which every word is an argument)."""
    end = args.index("--") if "--" in args else len(args)
    flags = [a for a in args[:end] if a in GLOBAL_FLAGS]
    return flags + [a for a in args[:end] if a not in GLOBAL_FLAGS] + args[end:]


def _usage_error(exc: Any) -> int:
    """One line for a usage error (an unknown option, a missing argument, a value of the wrong
    type), where typer draws a box; no arguments at all show the help."""
    ctx = getattr(exc, "ctx", None)
    if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
        sys.stdout.write(ctx.get_help() + "\n")
        return 0
    command = ctx.command_path if ctx is not None else "consortium"
    message = " ".join(str(exc.format_message()).split())
    sys.stderr.write(f"error: {message} (see `{command} --help`)\n")
    return int(getattr(exc, "exit_code", 2))


def _on_sigint(_signum: int, _frame: object) -> None:
    if interrupted():
        raise KeyboardInterrupt  # the second Ctrl-C: stop now
    interrupt()


__all__ = [
    "app",
    "bench",
    "build",
    "calls",
    "check",
    "exchange",
    "generate",
    "group",
    "importing",
    "main",
    "schema",
    "serve",
    "warm",
]
