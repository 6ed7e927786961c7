"""Research mode's entry point: the memetic three-phase search within a time limit, the tabu search
for a fixed number of iterations; the answer as a result document."""

from __future__ import annotations

import time
from typing import Literal

import numpy as np

from consortium_solver.domain import Consortium, MdgpResult, Status
from consortium_solver.mdgp.memetic import MemeticSearch
from consortium_solver.mdgp.reader import MdgpInstance
from consortium_solver.mdgp.tabu import TabuSearch


def warm_up() -> None:
    """Run the searches' kernels once on a tiny instance (compiled on a machine's first run)."""
    d = np.ones((6, 6)) - np.eye(6)
    tiny = MdgpInstance("warm-up", d, np.array([2, 2]), np.array([4, 4]))
    TabuSearch(tiny, 0).run(time.perf_counter() + 60, max_iterations=50)
    MemeticSearch(tiny, 0).run(time.perf_counter() + 60, generations=2)  # every phase's kernels


def solve_mdgp(
    inst: MdgpInstance,
    *,
    time_limit: float,
    seed: int = 0,
    max_iterations: int | None = None,
    search: Literal["memetic", "tabu"] = "memetic",
) -> MdgpResult:
    """Best grouping found within the time limit (members are element numbers as strings): the
    memetic search (:mod:`.memetic`), or the tabu search alone (``search="tabu"``, what
    ``consortium bench`` compares it with); with ``max_iterations``, that many iterations of the
    tabu search (the same answer for the same seed on any machine)."""
    warm_up()  # compiled before the clock starts (from the disk cache after the first run)
    start = time.perf_counter()
    if max_iterations is not None or search == "tabu":
        assign, value = TabuSearch(inst, seed).run(start + time_limit, max_iterations)
    else:
        assign, value = MemeticSearch(inst, seed).run(start + time_limit)
    sizes = np.bincount(assign, minlength=inst.groups)
    if (sizes < inst.lower).any() or (sizes > inst.upper).any():  # a bug, never a user error
        raise RuntimeError("the MDGP search broke a group size bound")
    groups = []
    for g in range(inst.groups):
        members = np.flatnonzero(assign == g)
        score = float(inst.d[np.ix_(members, members)].sum()) / 2
        groups.append(
            Consortium(
                members=tuple(str(int(i)) for i in members),
                score=round(score, 6),
                breakdown={"diversity": round(score, 6)},
            )
        )
    return MdgpResult(
        call="MDGP",
        pool=inst.name,
        status=Status.FEASIBLE,
        objective=round(value, 6),
        bound=None,
        wall_time_s=round(time.perf_counter() - start, 3),
        seed=seed,
        workers=1,
        consortia=tuple(groups),
        unassigned=(),
    )
