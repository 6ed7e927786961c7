"""The grouping search: construction, conflict repair and annealing over one or several rounds.

State: for each round, a partition of candidates (by index) into groups, plus the unplaced
(:mod:`.state`, which also defines the lexicographic cost). The steps, each a module of its own:

- :mod:`.construct` — a first schedule: a design or cyclic schedule where one applies, else greedy;
- :mod:`.repair` — tabu search on repeated meetings (Dotú & Van Hentenryck 2005);
- :mod:`.anneal` — simulated annealing on the objective, with its cooling schedule and stopping
  rule as objects.

The repair and the annealing run as compiled kernels (:mod:`.kernels`) on the schedule in arrays
(:class:`.state.Compiled`). Scores are the validator's definitions; the final answer is re-judged
by the validator anyway.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

import numpy as np

from consortium_solver.core.clock import Clock
from consortium_solver.group.constraints import CodedRule, GroupRules
from consortium_solver.group.search.anneal import Annealing, ClockOrIdle, OnImprove
from consortium_solver.group.search.construct import Construction
from consortium_solver.group.search.kernels import Arrays, schedule_cost
from consortium_solver.group.search.repair import ConflictRepair
from consortium_solver.group.search.state import Compiled, Schedule
from consortium_solver.rules import AnyRule, Mode, Problem

# The repair of repeated meetings gets at most this share of the time (the annealing, which also
# weighs them, the rest).
REPAIR_SHARE = 0.5


class GroupingSearch:
    """Search for a schedule of ``n_rounds`` partitions of the problem's candidates (of those
    who attend each round, when ``absent`` says who does not)."""

    def __init__(
        self,
        problem: Problem,
        *,
        n_rounds: int = 1,
        mode: Mode = "sum",
        together: Sequence[tuple[int, int]] = (),
        apart: Sequence[tuple[int, int]] = (),
        seed: int = 0,
        absent: Sequence[frozenset[int]] = (),
        allowed: int = 1,
        hosts: Sequence[int] = (),
        pairs: Sequence[Sequence[tuple[int, int]]] = (),
        apart_in: Sequence[tuple[int, int, Sequence[int]]] = (),
        bounds: Sequence[CodedRule] = (),
        balance: Mapping[str, np.ndarray] | None = None,
        spread: Sequence[tuple[float, ...]] = (),
        caps: Sequence[Sequence[int]] = (),
        fixed: Sequence[Sequence[tuple[int, int]]] = (),
    ) -> None:
        self.problem = problem
        self.rng = random.Random(seed)
        self.rules = GroupRules(
            problem.candidates, problem.rules, together, apart, bounds, apart_in
        )
        # absent[r]: who does not attend round r; they are in no group and not unplaced there, so
        # no move ever touches them.
        self.construction = Construction(
            problem,
            self.rules,
            n_rounds,
            together,
            self.rng,
            absent,
            allowed,
            hosts,
            pairs,
            spread,
            caps,
            fixed,
        )
        # bounds: extra rules of every group (--balance COLUMN=VALUE:MIN..MAX); balance: the
        # kernels' tables of the balanced columns (group.balance.balance_arrays); caps: the seats
        # of each round's tables, the largest first (group k at table k).
        self.compiled = Compiled(problem, self.rules, mode, seed, balance, caps)
        self.anneal_steps = 0  # moves the last search evaluated (for the benchmarks)

    def group_count(self) -> int:
        return self.construction.group_count()

    def construct(
        self, cyclic: Clock | None = None, clock: Clock | None = None, designs: bool = True
    ) -> Schedule:
        """A first schedule (see :meth:`Construction.construct`)."""
        return self.construction.construct(cyclic, clock, designs)

    def repair(self, schedule: Schedule, clock: Clock) -> int:
        """Remove repeated meetings in place, until none is left or the clock runs out; the
        repeated meetings left."""
        if not schedule.meet.size:
            return 0
        state, work = self.compiled.arrays(schedule)
        repair = ConflictRepair(
            self.compiled.rules, self.compiled.scores, work, state, not self.rules.sizes_only
        )
        left = repair.run(clock)
        self._into(schedule, Compiled.schedule(state))
        return left

    def search(
        self,
        schedule: Schedule,
        *,
        clock: Clock,
        on_improve: OnImprove | None = None,
        pinned: Sequence[tuple[int, int]] = (),
    ) -> Schedule:
        """Repair conflicts and violations, then anneal the objective, until the clock runs out
        (in place: the schedule returned is the one given, at its best). ``pinned`` (round,
        member) pairs never leave their groups."""
        compiled = self.compiled
        state, work = compiled.arrays(schedule, pinned)
        if state.meet.size:
            check_rules = not self.rules.sizes_only
            phase = clock.share(REPAIR_SHARE)
            ConflictRepair(compiled.rules, compiled.scores, work, state, check_rules).run(phase)
            clock.used(phase)
        annealing = Annealing(
            compiled.rules, compiled.scores, work, compiled.sizes, compiled.min_mode
        )
        annealing.run(state, self.cost(state), ClockOrIdle(clock), on_improve)
        self.anneal_steps = annealing.steps
        self._into(schedule, Compiled.schedule(state))
        return schedule

    def cost(self, state: Arrays) -> float:
        """The search's cost of a schedule in arrays (see :mod:`.state`)."""
        return schedule_cost(state, self.compiled.min_mode)

    @staticmethod
    def _into(schedule: Schedule, found: Schedule) -> None:
        schedule.rounds[:], schedule.unplaced[:] = found.rounds, found.unplaced

    def valid_groups(self, schedule: Schedule, keep_places: bool = False) -> Schedule:
        """The schedule with every group that still breaks a rule dissolved: its members unplaced
        (with ``keep_places``, an empty group in its place: group k stays at table k)."""
        rounds, unplaced = [], []
        for r, (groups, rest) in enumerate(zip(schedule.rounds, schedule.unplaced, strict=True)):
            broken = [self.rules.violation(g, r) > 0 for g in groups]
            kept = [[] if bad else g for g, bad in zip(groups, broken, strict=True)]
            rounds.append(kept if keep_places else [g for g in kept if g])
            dissolved = [i for g, bad in zip(groups, broken, strict=True) if bad for i in g]
            unplaced.append([*rest, *dissolved])
        return Schedule(rounds, unplaced, schedule.meet)


_WARM: list[bool] = []


def warm_up() -> None:
    """Run every kernel once on a tiny problem, so that compiling them never eats into a search's
    time limit: the first run on a machine compiles them (tens of seconds, written to numba's disk
    cache), later runs load them in well under a second."""
    if _WARM:
        return
    from consortium_solver.domain import EccpStatus, Organisation, OrganisationType
    from consortium_solver.domain import RegionCategory as Category
    from consortium_solver.rules import MinCount, MinDistinct, Objective, Size

    orgs = [
        Organisation(
            id=f"w{i}",
            name=f"w{i}",
            country=("DE", "FR", "PL")[i % 3],
            region_category=(Category.MORE_DEVELOPED, Category.LESS_DEVELOPED)[i % 2],
            organisation_type=OrganisationType.CLUSTER_ORGANISATION,
            eccp_status=EccpStatus.REGISTERED,
            sectors=(("digital", "health", "tourism")[i % 3],),
            offers=("a",) if i % 2 else (),
            needs=("a",) if i % 3 else (),
        )
        for i in range(9)
    ]
    rules: list[AnyRule] = [
        MinDistinct(id="c", field="country", min=2),
        MinCount(id="l", field="region_category", values=("less_developed",), min=1),
        Size(id="s", min=2, max=4),
    ]
    for kept in (rules, []):  # with rules (repair and annealing), sizes only (rounds by freedom)
        problem = Problem(orgs, kept, Objective(), {}, min_size=3, max_size=3 if not kept else 4)
        # 5 rounds of 9 in threes cannot avoid repeats (4 at most): the repair runs too.
        search = GroupingSearch(problem, n_rounds=5, together=[(0, 1)] if kept else [])
        search.search(search.construct(), clock=Clock(0.05, deterministic=True))
    _WARM.append(True)


__all__ = ["GroupingSearch", "Schedule", "warm_up"]
