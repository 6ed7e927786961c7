"""The ``consortium`` command line: parse, call the library, render with rich.

:mod:`.app` holds the typer app and the error guard (exit codes 0/1/2/3), :mod:`.options` every
parser of option text, :mod:`.render` what people see; each command is a module of its own.
"""

# Commands in the order of `consortium --help`.
from consortium_solver.cli import check, build, group, calls, generate, bench, schema  # noqa: I001
from consortium_solver.cli.app import app


def main() -> None:
    """Console-script entry point."""
    app()


__all__ = ["app", "bench", "build", "calls", "check", "generate", "group", "main", "schema"]
