"""``consortium bench``: a benchmark suite run, reported as files and a table of medians."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from consortium_solver.cli import options as opt
from consortium_solver.cli.app import app, fmt, guarded, stdout
from consortium_solver.core.errors import InputError


@app.command("bench")
@guarded
def bench_command(
    suite: Annotated[str, typer.Argument(help="a packaged suite (smoke, …) or a suite .toml file")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="folder for results.csv, summary.md and plots")
    ] = Path("bench-results"),
    time_limit: Annotated[
        float | None, typer.Option("--time-limit", help="seconds per run (default: the suite's)")
    ] = None,
    seeds: Annotated[
        str | None, typer.Option("--seeds", help="seeds, comma-separated (default: the suite's)")
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help="solver threads per run (default: the suite's)")
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", help="runs at a time (local executor)")] = 1,
    executor: Annotated[
        opt.Executor, typer.Option("--executor", help="local, or dask (a LocalCluster by default)")
    ] = opt.Executor.local,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="an existing Dask scheduler, tcp://HOST:8786"),
    ] = None,
    dask_workers: Annotated[
        int, typer.Option("--dask-workers", help="workers of the LocalCluster")
    ] = 2,
) -> None:
    """Run a benchmark suite: instances x solvers x seeds, each run in a fresh process; writes
    results.csv, traces.csv, summary.md and PNG plots, and prints the summary."""
    from consortium_solver.bench import Plan, execute, load_suite, write_report

    loaded = load_suite(suite)
    if out.exists() and not out.is_dir():
        raise InputError("not a folder", field="--out", value=str(out))
    plan = Plan(
        loaded,
        time_limit=loaded.time_limit if time_limit is None else time_limit,
        seeds=loaded.seeds if seeds is None else opt.seeds(seeds),
        workers=loaded.workers if workers is None else workers,
    )
    specs = plan.runs()
    with _ProgressBar(f"{loaded.name}: runs", len(specs)) as bar:
        rows = execute(
            specs,
            executor=executor.value,
            jobs=jobs,
            scheduler=scheduler,
            dask_workers=dask_workers,
            on_done=bar.done,
        )
    files = write_report(rows, out, f"Suite {loaded.name}")
    console = stdout()
    console.print(_summary_table(loaded.name, rows))
    console.print("wrote " + ", ".join(str(f) for f in files))
    failed = [r for r in rows if r.get("status") == "error"]
    for row in failed:
        sys.stderr.write(
            f"error: run {row['instance']} {row['solver']} seed {row['seed']}: {row.get('note')}\n"
        )
    if failed:
        raise typer.Exit(1)


class _ProgressBar:
    """A bar of runs done on a terminal's stderr, with a line per finished run."""

    def __init__(self, label: str, total: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        self.err = Console(stderr=True)
        self.bar = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.err,
            transient=True,
            disable=not self.err.is_terminal,
        )
        self.task = self.bar.add_task(label, total=total)

    def __enter__(self) -> _ProgressBar:
        self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.__exit__(None, None, None)

    def done(self, row: dict[str, Any]) -> None:
        self.bar.advance(self.task)
        if self.err.is_terminal:
            self.bar.console.print(
                f"  {row.get('instance')} {row.get('solver')} seed {row.get('seed')}:"
                f" {row.get('status')} {fmt(row.get('objective'))}"
            )


def _summary_table(name: str, rows: Sequence[dict[str, Any]]) -> Table:
    from consortium_solver.bench.report import summary

    table = Table(title=f"Suite {name} ({len(rows)} runs, medians)", title_justify="left")
    columns = (
        "instance",
        "solver",
        "runs",
        "statuses",
        "objective",
        "vs greedy",
        "gap %",
        "time s",
    )
    for k, column in enumerate(columns):
        table.add_column(column, justify="left" if k in (0, 1, 3) else "right")
    for line in summary(rows):
        gap = None if line["gap"] is None else 100 * line["gap"]
        table.add_row(
            line["instance"],
            line["solver"],
            str(line["runs"]),
            line["statuses"],
            fmt(line["objective"]),
            "—" if line["vs_greedy"] is None else f"{line['vs_greedy']:.3f}",
            "—" if gap is None else f"{gap:.2f}",
            "—" if line["time"] is None else f"{line['time']:.2f}",
        )
    return table
