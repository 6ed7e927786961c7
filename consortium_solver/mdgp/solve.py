"""Research mode's entry point, :func:`solve_mdgp`: the memetic three-phase search within the
limits, or the tabu search (for a fixed number of iterations, or within the limits); the answer
as a result document."""

from __future__ import annotations

import numpy as np

from consortium_solver.core.clock import Clock, interrupted
from consortium_solver.core.errors import InternalError
from consortium_solver.domain import Consortium, MdgpResult, Progress, Status
from consortium_solver.mdgp.memetic import MemeticSearch
from consortium_solver.mdgp.options import MdgpOptions
from consortium_solver.mdgp.reader import MdgpInstance
from consortium_solver.mdgp.tabu import TabuSearch

# Deterministic mode: nominal steps per second of the limit — a memetic step is one member's
# descent, a tabu step 64 iterations (about a millisecond each on MDGPLIB's n = 120).
STEPS_PER_SECOND = 1000


def warm_up() -> None:
    """Run the searches' kernels once on a tiny instance (compiled on a machine's first run)."""
    d = np.ones((6, 6)) - np.eye(6)
    tiny = MdgpInstance("warm-up", d, np.array([2, 2]), np.array([4, 4]))
    TabuSearch(tiny, 0).run(Clock(60), max_iterations=50)
    MemeticSearch(tiny, 0).run(Clock(60), generations=2)  # every phase's kernels


def solve_mdgp(
    inst: MdgpInstance,
    options: MdgpOptions | None = None,
    *,
    progress: Progress | None = None,
) -> MdgpResult:
    """The best grouping found within the limits (members are element numbers as strings): the
    memetic search (:mod:`.memetic`), or the tabu search alone (``search="tabu"``, what
    ``consortium bench`` compares it with); with ``iterations``, that many iterations of the tabu
    search. Ctrl-C (:func:`~consortium_solver.core.clock.interrupt`) stops it within one descent,
    with the best grouping so far marked interrupted. ``progress`` is told each better value."""
    options = options or MdgpOptions()
    warm_up()  # compiled before the clock starts (from the disk cache after the first run)
    clock = options.clock(rate=STEPS_PER_SECOND, task="mdgp")

    def improved(value: float) -> None:
        if progress is not None:
            progress(clock.elapsed(), round(value, 6), None)

    search = "tabu" if options.iterations is not None else options.search  # a count: the tabu's
    if search == "tabu":
        tabu = TabuSearch(inst, options.seed)
        assign, value = tabu.run(clock, options.iterations, on_improve=improved)
    else:
        assign, value = MemeticSearch(inst, options.seed).run(clock, on_improve=improved)
    sizes = np.bincount(assign, minlength=inst.groups)
    if (sizes < inst.lower).any() or (sizes > inst.upper).any():
        raise InternalError("the MDGP search broke a group size bound")
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
        wall_time_s=round(clock.elapsed(), 3),
        seed=options.seed,
        workers=options.threads,
        consortia=tuple(groups),
        search=search,
        interrupted=interrupted(),
    )
