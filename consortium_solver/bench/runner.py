"""The sweep: instances x solvers x seeds, each run in a fresh process, on this machine or on Dask.

Both executors call the same :func:`run_one`, which starts ``python -m consortium_solver.bench.child``
and reads its ``@result`` line, so a row looks the same wherever it ran. On Dask each run is one task
(``pure=False``); the task starts the child process on the worker, so the worker needs the package
installed, nothing more.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from consortium_solver.bench.child import MARKER
from consortium_solver.bench.suite import Suite, resolve
from consortium_solver.core.errors import InputError

COLUMNS = (
    "instance",
    "task",
    "solver",
    "config",
    "seed",
    "n",
    "status",
    "objective",
    "bound",
    "gap",
    "wall_time_s",
    "peak_mem_mb",
    "note",
)


@dataclass(frozen=True)
class Plan:
    """What a sweep will run and how."""

    suite: Suite
    time_limit: float
    seeds: tuple[int, ...]
    workers: int

    def __post_init__(self) -> None:
        if not self.time_limit > 0:
            raise InputError(
                "a positive number of seconds", field="--time-limit", value=self.time_limit
            )
        if not self.seeds:
            raise InputError("expected at least one seed: 1,2,3", field="--seeds")
        if self.workers < 1:
            raise InputError("at least 1", field="--workers", value=self.workers)

    def runs(self) -> list[dict[str, Any]]:
        """One description per run, in a stable order: instance, solver, seed."""
        out = []
        for inst in self.suite.instance:
            path = None
            if inst.mdgp is not None:
                path = str(resolve(self.suite, inst.mdgp))
            elif inst.pool is not None and inst.pool != "demo":
                path = str(resolve(self.suite, inst.pool))
            for solver in inst.solvers:
                for seed in self.seeds:
                    out.append(
                        {
                            "instance": inst.model_dump(mode="json"),
                            "path": path,
                            "solver": solver,
                            "seed": seed,
                            "time_limit": self.time_limit,
                            "workers": self.workers,
                        }
                    )
        return out


def config_label(spec: dict[str, Any]) -> str:
    """The run's settings in one cell: time limit, workers and the task's options."""
    inst = spec["instance"]
    parts = [f"time_limit={spec['time_limit']:g}", f"workers={spec['workers']}"]
    if inst["task"] == "exchange":
        parts.append("scheme=clusterxchange-2020")
    elif inst["task"] != "mdgp":
        parts.append(f"call={inst['call']}")
        if inst.get("size"):
            parts.append(f"size={inst['size']}")
    if inst["task"] == "group":
        parts += [f"rounds={inst['rounds']}", f"objective={inst['objective']}"]
    parts += [f"{key}={value}" for key, value in sorted(inst.get("options", {}).items())]
    return ";".join(parts)


def run_one(spec: dict[str, Any]) -> dict[str, Any]:
    """Run one description in a child process; always returns a row (status 'error' on failure)."""
    inst = spec["instance"]
    row: dict[str, Any] = {
        "instance": inst["name"],
        "task": inst["task"],
        "solver": spec["solver"],
        "config": config_label(spec),
        "seed": spec["seed"],
    }
    try:
        done = subprocess.run(
            [sys.executable, "-m", "consortium_solver.bench.child"],
            input=json.dumps(spec),
            capture_output=True,
            text=True,
            timeout=3 * float(spec["time_limit"]) + 120,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {**row, "status": "error", "note": "the run overran its time limit threefold"}
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARKER)]
    if done.returncode != 0 or not lines:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {**row, "status": "error", "note": last[:300]}
    out = json.loads(lines[-1][len(MARKER) :])
    reference = out.get("bound")
    if inst.get("best_known") is not None:
        reference = inst["best_known"]
    gap = None
    if out.get("objective") is not None and reference is not None:
        gap = abs(reference - out["objective"]) / max(abs(reference), 1e-9)
    return {**row, **out, "gap": gap, "note": out.get("note", "")}


Progress = Callable[[dict[str, Any]], None]


def execute(
    specs: Sequence[dict[str, Any]],
    *,
    executor: str = "local",
    jobs: int = 1,
    scheduler: str | None = None,
    dask_workers: int = 2,
    on_done: Progress | None = None,
) -> list[dict[str, Any]]:
    """Run every description; rows come back in the order of ``specs``.

    ``local``: ``jobs`` runs at a time on this machine. ``dask``: on the cluster at ``scheduler``
    (``tcp://host:8786``), or on a new LocalCluster of ``dask_workers`` single-threaded workers.

    Raises:
        InputError: an unknown executor, a count below 1, a scheduler without Dask, or Dask asked
            for but not installed.
    """
    for option, count in (("--jobs", jobs), ("--dask-workers", dask_workers)):
        if count < 1:
            raise InputError("at least 1", field=option, value=count)
    if scheduler is not None and executor != "dask":
        raise InputError(
            "--scheduler goes with --executor dask", field="--scheduler", value=scheduler
        )
    rows: list[dict[str, Any] | None] = [None] * len(specs)
    if executor == "local":
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = {pool.submit(run_one, spec): k for k, spec in enumerate(specs)}
            for future in as_completed(futures):
                row = future.result()
                rows[futures[future]] = row
                if on_done:
                    on_done(row)
    elif executor == "dask":
        _dask(specs, rows, scheduler, dask_workers, on_done)
    else:
        raise InputError("expected local or dask", field="--executor", value=executor)
    return [r for r in rows if r is not None]


def _dask(
    specs: Sequence[dict[str, Any]],
    rows: list[dict[str, Any] | None],
    scheduler: str | None,
    dask_workers: int,
    on_done: Progress | None,
) -> None:
    try:
        from distributed import Client, LocalCluster
        from distributed import as_completed as dask_completed
    except ImportError:
        raise InputError(
            "Dask is not installed: pip install 'consortium-solver[dask]'",
            field="--executor",
            value="dask",
        ) from None
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=dask_workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler, timeout="10s")
        except OSError as exc:
            raise InputError(
                f"cannot reach the Dask scheduler ({exc})", field="--scheduler", value=scheduler
            ) from None
    try:
        futures = [client.submit(run_one, spec, pure=False) for spec in specs]
        index = {future.key: k for k, future in enumerate(futures)}
        for future in dask_completed(futures):
            row = future.result()
            rows[index[future.key]] = row
            if on_done:
                on_done(row)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
