"""How a build runs: :class:`BuildOptions`, the build task's options model — the shared limits,
seed and workers (:class:`~consortium_solver.core.options.TaskOptions`), and how many consortia
to list. What the user asks of the consortium itself is :class:`~.demands.Demands`."""

from __future__ import annotations

from pydantic import Field

from consortium_solver.core.options import TaskOptions


class BuildOptions(TaskOptions):
    """How the search runs. With ``deterministic``, the limit is CP-SAT's deterministic time for
    the whole build (all ``top`` solves together), on one thread."""

    time_limit: float = Field(
        default=60.0, gt=0, le=1_000_000, allow_inf_nan=False, description="seconds for the run"
    )
    top: int = Field(default=1, ge=1, le=1000, description="how many consortia, best first")
    differ_by: int = Field(
        default=1,
        ge=1,
        le=1000,
        description="members each listed consortium has that every earlier one lacks",
    )
