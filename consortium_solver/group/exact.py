"""Small events solved exactly: with at most :data:`EXACT_LIMIT` attendees in every round, the
grouping's whole model — rounds, attendance, tables, pairs, hosts, fixed seats, bounds and
categorical balance — goes to CP-SAT (:mod:`consortium_solver.encode.event`) instead of the
search; a numeric balanced column (a square of a mean) is left to the search."""

from __future__ import annotations

from dataclasses import dataclass

from consortium_solver.domain import Status, Table
from consortium_solver.group.balance import CATEGORY_POINTS, Bound, Column, value_shares
from consortium_solver.group.options import GroupOptions
from consortium_solver.group.search.state import Schedule
from consortium_solver.rules import Problem

# Events with up to this many attendees in each round are solved exactly by CP-SAT.
EXACT_LIMIT = 16


@dataclass(frozen=True)
class SmallEvent:
    """What the exact model needs of a grouping (candidate indices; rounds from 0)."""

    problem: Problem
    absent: list[frozenset[int]]
    laid: list[list[Table]]
    hosts: list[int]
    together: list[tuple[int, int]]
    apart: list[tuple[int, int]]
    apart_in: list[tuple[int, int, list[int]]]
    pairs: list[list[tuple[int, int]]]
    fixed: list[list[tuple[int, int]]]
    columns: list[Column]
    bounds: list[Bound]


def is_small(event: SmallEvent, options: GroupOptions) -> bool:
    """Whether the event goes to the exact model: few attendees a round, no numeric balance, no
    schedule to start from, and (over several rounds) no repeats to minimise."""
    n = event.problem.n
    most = max((n - len(away) for away in event.absent), default=n)
    return (
        options.improve
        and options.start is None
        and most <= EXACT_LIMIT
        and not any(c.numeric for c in event.columns)
        and not (options.allow_repeats and options.rounds > 1)
    )


def exact_schedule(
    event: SmallEvent, options: GroupOptions, seconds: float
) -> tuple[Schedule, Status] | None:
    """The exact schedule (group k of a round at table k; empty groups kept where there are
    tables), or None when CP-SAT found none in ``seconds`` a phase (the search takes over)."""
    from consortium_solver.encode import SolveLimits
    from consortium_solver.encode.event import Category, Count, EventSpec, event_exact

    problem = event.problem
    low, high = problem.min_size, problem.max_size
    caps = []
    for r, away in enumerate(event.absent):
        if event.laid:
            caps.append([t.capacity for t in event.laid[r]])
        elif event.hosts:
            caps.append([high] * sum(1 for h in event.hosts if h not in away))
        else:
            caps.append([high] * max(1, (problem.n - len(away)) // max(low, 1)))
    spec = EventSpec(
        problem=problem,
        caps=caps,
        absent=event.absent,
        max_meetings=options.max_meetings,
        together=event.together,
        apart=event.apart,
        apart_in=event.apart_in,
        pairs=event.pairs,
        hosts=event.hosts,
        fixed=event.fixed,
        bounds=[Count(b.hits, b.spec.low, b.spec.high) for b in event.bounds],
        categories=[
            Category(c.codes, value_shares(c, event.absent).tolist(), CATEGORY_POINTS * c.weight)
            for c in event.columns
        ],
    )
    limits = SolveLimits.of(seconds, options.deterministic, options.threads, options.seed)
    outcome = event_exact(spec, mode=options.objective, limits=limits)
    if outcome.rounds is None:
        return None
    rounds = outcome.rounds if event.laid else [[g for g in r if g] for r in outcome.rounds]
    return Schedule(rounds, outcome.unplaced), outcome.status
