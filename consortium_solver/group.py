"""Event groupings: split a whole pool into groups that each meet the call's rules, over one or
several rounds in which no two organisations share a group twice.

Organisations failing a member filter of the call are set aside, with the reason. Among the rest,
first as few as possible are left unplaced, then the objective is optimised: ``sum`` (the total
score) or ``min`` (the worst group's score first, then the total). Small pools are solved exactly
with CP-SAT; larger ones, and every schedule of several rounds, by the grouping search
(:mod:`consortium_solver.grouping_search`). Every group of the answer is judged again by the
validator (:func:`consortium_solver.check.check_grouping`); a group it rejects is a bug.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from consortium_solver.calls import Call, MemberIn, Objective, Size
from consortium_solver.check import check_grouping, check_rule
from consortium_solver.domain import (
    Consortium,
    Ineligible,
    Organisation,
    Pool,
    Result,
    Status,
)
from consortium_solver.errors import InputError, InternalError
from consortium_solver.grouping_search import GroupingSearch, Schedule

# Pools up to this many eligible organisations (one round) are partitioned exactly by CP-SAT.
EXACT_LIMIT = 16

# A cyclic schedule, when it applies, is tried for a quarter of the time limit, at most 10 s: when
# it works it takes about a second (benchmarks/golfers.py); the general search gets the rest.
CYCLIC_SHARE, CYCLIC_MAX_S = 0.25, 10.0

Progress = Callable[[float, float | None, float | None], None]


@dataclass
class GroupOptions:
    """What the organiser asks for."""

    size: tuple[int, int] = (3, 5)
    objective: str = "sum"
    rounds: int = 1
    allow_repeats: bool = False
    together: Sequence[tuple[str, str]] = ()
    apart: Sequence[tuple[str, str]] = ()
    time_limit: float = 30.0
    seed: int = 0
    workers: int = 2
    progress: Progress | None = field(default=None, repr=False)
    # False: the greedy construction alone, groups breaking a rule dissolved (a baseline).
    improve: bool = True


def no_call() -> Call:
    """``--call none``: no rules, the default objective (pure grouping)."""
    return Call(id="none", title="no call: pure grouping", objective=Objective())


def group(pool: Pool, call: Call, options: GroupOptions | None = None) -> Result:
    """Group the pool for an event.

    Returns a :class:`Result`: ``consortia`` holds the groups (of the first round), ``rounds`` every
    round when there are several, ``unassigned`` everyone not placed (ineligible ones included, with
    their reasons in ``ineligible``).

    Raises:
        InputError: a size range, objective or pair names something impossible or unknown.
        InternalError: the validator rejects a group the search produced.
    """
    options = options or GroupOptions()
    _check_options(pool, options)
    start = time.perf_counter()
    low, high = options.size
    filters = [r for r in call.rules if isinstance(r, MemberIn)]
    ineligible = []
    candidates: list[Organisation] = []
    for org in pool.organisations:
        failed = [check_rule(r, [org]) for r in filters]
        reasons = [v.why for v in failed if not v.passed]
        if reasons:
            ineligible.append(Ineligible(id=org.id, why="; ".join(reasons)))
        else:
            candidates.append(org)
    candidates, ineligible = _follow_partners(candidates, ineligible, options.together)
    size_rule = Size(id="user:size", min=low, max=high, text=f"between {low} and {high} members")
    rules = [r for r in call.rules if not isinstance(r, MemberIn)] + [size_rule]
    index = {o.id: i for i, o in enumerate(candidates)}
    together = [(index[a], index[b]) for a, b in options.together if a in index and b in index]
    apart = [(index[a], index[b]) for a, b in options.apart if a in index and b in index]

    def no_groups(status: Status, note: str) -> Result:
        everyone = [o.id for o in pool.organisations]
        return _result(call, pool, options, start, [], everyone, ineligible, status, note)

    impossible = _rounds_impossible(len(candidates), options)
    status = Status.FEASIBLE
    if impossible and not options.allow_repeats:
        return no_groups(Status.INFEASIBLE, impossible)

    if options.improve and options.rounds == 1 and len(candidates) <= EXACT_LIMIT and not together:
        schedule, status = _exact(candidates, rules, call, options, apart)
    else:
        search = GroupingSearch(
            candidates,
            rules,
            call.objective,
            call.link_weights(),
            min_size=low,
            max_size=high,
            n_rounds=options.rounds,
            mode=options.objective,
            together=together,
            apart=apart,
            seed=options.seed,
        )
        if options.improve:
            schedule = _improved(search, options, start)
        else:
            schedule = _drop_broken_groups(search.construct(), search)

    rounds_ids = [[[candidates[i].id for i in grp] for grp in groups] for groups in schedule.rounds]
    verdict = check_grouping(
        pool,
        call,
        rounds_ids,
        extra_rules=[size_rule],
        together=options.together,
        apart=options.apart,
        allow_repeats=options.allow_repeats,
    )
    if not verdict.valid and not verdict.repeats_only:
        raise InternalError(
            f"the grouping search produced an invalid grouping: {verdict.problems[0]}"
        )
    if verdict.repeats and not options.allow_repeats:
        # The search could not remove every repeated meeting in time: not a valid answer.
        return no_groups(
            Status.UNKNOWN,
            f"no schedule of {options.rounds} rounds without repeated meetings was found in"
            f" {options.time_limit:g} s ({verdict.repeats} pairs meet twice); try a longer"
            " --time-limit, fewer --rounds, or --allow-repeats",
        )
    return _result(
        call, pool, options, start, verdict.rounds, verdict.unassigned, ineligible, status, None
    )


def _follow_partners(
    candidates: list[Organisation],
    ineligible: list[Ineligible],
    together: Sequence[tuple[str, str]],
) -> tuple[list[Organisation], list[Ineligible]]:
    """A --together pair shares a group or both stay out, so the partner of a set-aside
    organisation is set aside too (and so on along chains of pairs), with the reason."""
    out = {entry.id for entry in ineligible}
    added: list[Ineligible] = []
    changed = True
    while changed:
        changed = False
        for a, b in together:
            for stays, partner in ((a, b), (b, a)):
                if partner in out and stays not in out:
                    out.add(stays)
                    why = f"--together with {partner}, which is set aside"
                    added.append(Ineligible(id=stays, why=why))
                    changed = True
    if not added:
        return candidates, ineligible
    return [o for o in candidates if o.id not in out], ineligible + added


def _improved(search: GroupingSearch, options: GroupOptions, start: float) -> Schedule:
    """Construction (a designed or cyclic schedule first where one applies), then the search to
    the deadline."""
    schedule = search.construct(deadline=start + cyclic_budget(options.time_limit))
    report = None
    if options.progress is not None:
        progress = options.progress

        def report(_: Schedule, cost: float) -> None:
            # The search's cost is -objective once no rule is broken (sum mode only: in min
            # mode it folds the worst group and the total into one number).
            valid = cost < 1e5 and options.objective == "sum"
            progress(time.perf_counter() - start, -cost if valid else None, None)

    schedule = search.search(schedule, deadline=start + options.time_limit, on_improve=report)
    return _drop_broken_groups(schedule, search)


def cyclic_budget(time_limit: float) -> float:
    """Seconds for the cyclic schedule search out of a time limit."""
    return min(time_limit * CYCLIC_SHARE, CYCLIC_MAX_S)


def _check_options(pool: Pool, options: GroupOptions) -> None:
    low, high = options.size
    if low < 1 or low > high:
        raise InputError("expected A..B with 1 <= A <= B", field="--size", value=f"{low}..{high}")
    if options.objective not in ("sum", "min"):
        raise InputError("expected sum or min", field="--objective", value=options.objective)
    if options.rounds < 1:
        raise InputError("at least 1 round", field="--rounds", value=options.rounds)
    for option, pairs in (("--together", options.together), ("--apart", options.apart)):
        for pair in pairs:
            for org_id in pair:
                pool.require(org_id, option)
            if pair[0] == pair[1]:
                raise InputError(
                    "a pair names two different organisations", field=option, value=",".join(pair)
                )
    clash = {frozenset(p) for p in options.together} & {frozenset(p) for p in options.apart}
    if clash:
        shown = ",".join(sorted(next(iter(clash))))
        raise InputError(
            "the same pair is asked to be together and apart", field="--apart", value=shown
        )


def _rounds_impossible(n: int, options: GroupOptions) -> str | None:
    """A counting argument: each round, everyone meets at least min_size - 1 new people."""
    low, _ = options.size
    if options.rounds <= 1 or n == 0:
        return None
    needed = options.rounds * (low - 1)
    if needed > n - 1:
        most = (n - 1) // max(low - 1, 1)
        return (
            f"{options.rounds} rounds without repeated meetings are impossible: in groups of at least"
            f" {low}, each organisation meets {low - 1} new ones per round, {needed} in all, but only"
            f" {n - 1} others are eligible (at most {most} rounds); use --allow-repeats to minimise"
            " repeats instead"
        )
    return None


def _exact(
    candidates: list[Organisation],
    rules: list[Any],
    call: Call,
    options: GroupOptions,
    apart: list[tuple[int, int]],
) -> tuple[Schedule, Status]:
    from consortium_solver.encode import SolveLimits
    from consortium_solver.encode.partition import partition_exact

    low, high = options.size
    groups = max(1, len(candidates) // max(low, 1))
    outcome = partition_exact(
        candidates,
        rules,
        call.objective,
        call.link_weights(),
        min_size=low,
        max_size=high,
        groups=groups,
        mode=options.objective,
        limits=SolveLimits(
            time_limit=options.time_limit / 3, workers=options.workers, seed=options.seed
        ),
        apart=[(candidates[a].id, candidates[b].id) for a, b in apart],
    )
    index = {o.id: i for i, o in enumerate(candidates)}
    found = outcome.groups or []
    rounds = [[[index[i] for i in grp] for grp in found]]
    unplaced = [[index[i] for i in outcome.unassigned]]
    return Schedule(rounds, unplaced), outcome.status


def _drop_broken_groups(schedule: Schedule, search: GroupingSearch) -> Schedule:
    """Groups still breaking a rule after the search are dissolved: their members are unplaced."""
    rounds, unplaced = [], []
    for groups, rest in zip(schedule.rounds, schedule.unplaced, strict=True):
        keep = [g for g in groups if search.rules.violation(g) == 0]
        dropped = [i for g in groups if search.rules.violation(g) for i in g]
        rounds.append(keep)
        unplaced.append([*rest, *dropped])
    return Schedule(rounds, unplaced, schedule.meet)


def _result(
    call: Call,
    pool: Pool,
    options: GroupOptions,
    start: float,
    rounds: list[list[Consortium]],
    unassigned: list[str],
    ineligible: list[Ineligible],
    status: Status,
    note: str | None,
) -> Result:
    first = rounds[0] if rounds else []
    scores = [g.score for groups in rounds for g in groups]
    objective = None
    if scores:
        objective = math.fsum(scores) if options.objective == "sum" else min(scores)
    return Result(
        call=call.id,
        pool=pool.name,
        status=status,
        objective=objective,
        bound=None,
        wall_time_s=round(time.perf_counter() - start, 3),
        seed=options.seed,
        workers=options.workers,
        consortia=tuple(first),
        unassigned=tuple(unassigned),
        rounds=tuple(tuple(r) for r in rounds) if options.rounds > 1 else None,
        ineligible=tuple(ineligible),
        note=note,
    )
