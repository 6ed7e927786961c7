"""Benchmark suites: TOML files naming instances, the task on each, the solvers and the seeds.

```toml
name = "smoke"
description = "…"
time_limit = 3.0          # seconds per run (the command line's --time-limit overrides it)
seeds = [1]
workers = 1               # CP-SAT / HiGHS threads per run

[[instance]]
name = "gen-200"
generate = { n = 200, seed = 200 }   # or pool = "demo" | "path.json", or mdgp = "path.txt"
task = "build"                        # build | group | mdgp | exchange (generate: an exchange pool)
solvers = ["cpsat", "highs", "greedy"]
size = "3..6"                         # optional; group: rounds = 1, objective = "sum"
options = { deterministic = true }    # optional: any field of the task's options model
```

``options`` takes the fields of the task's options model (``BuildOptions``, ``GroupOptions``,
``ExchangeOptions``, ``MdgpOptions``) as they are; the run's time limit, seed and workers come from
the suite (or the command line).

Relative paths are looked up from the current folder, then from the suite file's folder and its
parents (so the repository's suites find ``instances/…`` from anywhere inside it).
"""

from __future__ import annotations

import datetime
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from consortium_solver.core.errors import InputError
from consortium_solver.rules import validation_error

SOLVERS: dict[str, tuple[str, ...]] = {
    "build": ("cpsat", "highs", "greedy"),
    "group": ("search", "greedy"),
    "mdgp": ("memetic", "tabu"),  # memetic = what `group --mdgp` runs; tabu = the tabu search alone
    # exchange: planner = what `consortium exchange` runs (min-cost flow without budgets, CP-SAT
    # with them); flow = the pool with its budgets lifted (optimal without budgets, an upper bound
    # with them); greedy = the baseline.
    "exchange": ("planner", "flow", "greedy"),
}


class InstanceSpec(BaseModel):
    """One instance of a suite and what to run on it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    pool: str | None = None
    generate: dict[str, Any] | None = None
    mdgp: str | None = None
    task: Literal["build", "group", "mdgp", "exchange"]
    solvers: tuple[str, ...] = Field(min_length=1)
    call: str = "COS-CLUSTER-2018-03-02"
    date: datetime.date | None = Field(
        default=None,
        description="the day the call's country lists are read on (else its deadline, else today)",
    )
    size: str | None = None
    rounds: int = Field(default=1, ge=1)
    objective: Literal["sum", "min"] = "sum"
    best_known: float | None = None
    options: dict[str, Any] = Field(
        default_factory=dict, description="fields of the task's options model, as they are"
    )

    @model_validator(mode="after")
    def _consistent(self) -> InstanceSpec:
        sources = [s for s in (self.pool, self.generate, self.mdgp) if s is not None]
        if len(sources) != 1:
            raise ValueError("give exactly one of pool, generate or mdgp")
        if (self.mdgp is not None) != (self.task == "mdgp"):
            raise ValueError("task 'mdgp' goes with an mdgp file, and only with one")
        for solver in self.solvers:
            if solver not in SOLVERS[self.task]:
                known = ", ".join(SOLVERS[self.task])
                raise ValueError(f"unknown solver {solver!r} for task {self.task} (known: {known})")
        return self


class Suite(BaseModel):
    """A named set of instances, solvers and seeds."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    description: str = ""
    time_limit: float = Field(default=10.0, gt=0)
    seeds: tuple[int, ...] = Field(default=(1,), min_length=1)
    workers: int = Field(default=1, ge=1)
    instance: tuple[InstanceSpec, ...] = Field(min_length=1)
    folder: str = "."  # where the suite file lies (filled in by load_suite)

    @model_validator(mode="after")
    def _unique(self) -> Suite:
        names = [i.name for i in self.instance]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(f"duplicate instance name {name!r}")
        return self


def packaged_suites() -> dict[str, str]:
    """Suite name -> file name of the suites shipped with the package."""
    folder = resources.files("consortium_solver").joinpath("bench", "suites")
    return {
        entry.name.removesuffix(".toml"): entry.name
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".toml")
    }


def load_suite(ref: str) -> Suite:
    """A suite by packaged name (``smoke``) or from a TOML file.

    Raises:
        InputError: no such suite or file, not TOML, or not a valid suite.
    """
    path = Path(ref)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise InputError("no such suite file", source=ref)
        return _parse(path.read_text(encoding="utf-8"), str(path), path.resolve().parent)
    names = packaged_suites()
    if ref not in names:
        raise InputError(
            f"no such suite (packaged: {', '.join(names)}; or give a .toml file)",
            field="SUITE",
            value=ref,
        )
    entry = resources.files("consortium_solver").joinpath("bench", "suites", names[ref])
    return _parse(entry.read_text(encoding="utf-8"), f"suites/{names[ref]}", Path.cwd())


def _parse(text: str, source: str, folder: Path) -> Suite:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", source=source) from None
    if not isinstance(data, dict) or "folder" in data:
        raise InputError("unknown key", source=source, field="folder")
    try:
        return Suite.model_validate({**data, "folder": str(folder)})
    except ValidationError as exc:
        raise validation_error(exc, source) from None


def resolve(suite: Suite, relative: str) -> Path:
    """A path named in the suite: from the current folder, else the suite's folder or a parent."""
    candidate = Path(relative)
    if candidate.is_absolute() or candidate.exists():
        return candidate
    for folder in (Path(suite.folder), *Path(suite.folder).parents):
        if (folder / relative).exists():
            return folder / relative
    raise InputError("no such file (looked in the current folder and the suite's)", source=relative)
