"""How research mode runs: :class:`MdgpOptions`, the MDGP task's options model — the shared limits,
seed and workers (:class:`~consortium_solver.core.options.TaskOptions`), which search, and a fixed
count of iterations."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from consortium_solver.core.options import TaskOptions


class MdgpOptions(TaskOptions):
    """The search and its limits. ``iterations`` runs that many iterations of the tabu search
    whatever the clock says (the same answer for the same seed on any machine); in deterministic
    mode either search counts its steps instead of seconds."""

    search: Literal["memetic", "tabu"] = Field(
        default="memetic",
        description="memetic: the three-phase search (time-limited runs); tabu: the tabu search",
    )
    iterations: int | None = Field(
        default=None, ge=1, le=10**9, description="iterations of the tabu search (fixed count)"
    )

    @property
    def threads(self) -> int:
        """The MDGP searches run on one thread, whatever ``workers`` says."""
        return 1
