"""Research mode's entry point: one tabu search for equal group sizes, a race of starting size profiles
by successive halving for size ranges; the answer as a result document."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from consortium_solver.domain import Consortium, MdgpResult, Status
from consortium_solver.mdgp.reader import MdgpInstance
from consortium_solver.mdgp.tabu import PROFILES, TabuSearch


@dataclass
class _Arm:
    search: TabuSearch
    profile: str
    best: np.ndarray | None = None
    value: float = float("-inf")


def _race(
    inst: MdgpInstance, seed: int, start: float, time_limit: float
) -> tuple[np.ndarray, float]:
    """Group sizes in a range: the best sizes differ from instance to instance (the extreme profile
    wins on some MDGPLIB instances, balanced or random sizes on others), and the tabu search
    seldom changes the sizes it starts from. So several starting profiles race by successive
    halving: four searches get a tenth of the time each, the better two a fifth more each, the
    best one the rest; each round resumes a search from its best assignment."""
    arms = [_Arm(TabuSearch(inst, seed * 101 + k), p) for k, p in enumerate(PROFILES)]
    at = start
    for share, keep in ((0.1, 2), (0.2, 1), (None, 1)):
        for arm in arms:
            stop = start + time_limit if share is None else at + share * time_limit
            best, value = arm.search.run(stop, start=arm.best, profile=arm.profile)
            if value > arm.value:
                arm.best, arm.value = best, value
            at = stop
        arms = sorted(arms, key=lambda a: -a.value)[:keep]
    assert arms[0].best is not None
    return arms[0].best, arms[0].value


def warm_up() -> None:
    """Run the tabu search's kernel once on a tiny instance (compiled on a machine's first run)."""
    d = np.ones((6, 6)) - np.eye(6)
    tiny = MdgpInstance("warm-up", d, np.array([2, 2]), np.array([4, 4]))
    TabuSearch(tiny, 0).run(time.perf_counter() + 60, max_iterations=50)


def solve_mdgp(
    inst: MdgpInstance, *, time_limit: float, seed: int = 0, max_iterations: int | None = None
) -> MdgpResult:
    """Best grouping found within the time limit (members are element numbers as strings)."""
    warm_up()  # compiled before the clock starts (from the disk cache after the first run)
    start = time.perf_counter()
    if (inst.lower == inst.upper).all() or max_iterations is not None:
        assign, value = TabuSearch(inst, seed).run(start + time_limit, max_iterations)
    else:
        assign, value = _race(inst, seed, start, time_limit)
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
