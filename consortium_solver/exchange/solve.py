"""Planning a programme of exchanges (:func:`plan_exchanges`): the candidate edges
(:mod:`.candidates`), then the most valuable matching — by min-cost flow when no budget is set
(optimal in polynomial time), else by CP-SAT on each visitor's best ``CANDIDATES`` hosts, hinted
by the Lagrangian pass (:mod:`.bound`), whose value is also the bound (budgets only take value
away); with ``top`` > 1 the next-best distinct programmes. One clock runs through every phase.

Every plan is judged by the independent validator (:mod:`.result`); a plan it rejects is a bug.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from consortium_solver.core.clock import Clock, interrupted
from consortium_solver.core.money import to_cents
from consortium_solver.core.options import OptionError
from consortium_solver.domain import Alternative, ExchangeResult, Progress, Status
from consortium_solver.domain.exchanges import ExchangePool
from consortium_solver.encode import SolveLimits
from consortium_solver.encode.exchanges import cpsat_matching, flow_matching
from consortium_solver.exchange.bound import Plan, lagrangian, within_budgets
from consortium_solver.exchange.candidates import SCALE, Candidates
from consortium_solver.exchange.options import ExchangeOptions
from consortium_solver.exchange.result import judged_plan, judged_result, why_not
from consortium_solver.rules.scheme import Scheme

log = logging.getLogger(__name__)

# With budgets: the Lagrangian pass's share of the clock.
BOUND_SHARE = 0.2
# Above this many candidate edges CP-SAT looks at each visitor's CANDIDATES most valuable hosts and
# CANDIDATES best value per euro only (2,000 visitors and 1,000 hosts make 2 million edges); below
# it, at all of them.
MAX_EDGES, CANDIDATES = 200_000, 25
# With top K > 1: the best programme's share of the time limit (the alternatives share the rest).
BEST_SHARE = 0.6
# Next-best programmes start from the best one without its least valuable exchanges (False: CP-SAT
# from nothing, as before issue 30 — benchmarks/exchange_top.py's baseline).
START_FROM_BEST = True
# In deterministic mode the clock counts CP-SAT's deterministic time in steps of a millisecond.
STEPS_PER_SECOND = 1000


def plan_exchanges(
    pool: ExchangePool,
    scheme: Scheme,
    options: ExchangeOptions | None = None,
    *,
    progress: Progress | None = None,
) -> ExchangeResult:
    """The most valuable programme of exchanges of the pool under the scheme; ``progress`` is told
    the value and bound after each phase (the flow, the Lagrangian pass, the plan).

    Raises:
        OptionError: an included or excluded pair names an unknown participant.
        InternalError: the validator rejects the plan.
    """
    options = _with_kept(options or ExchangeOptions())
    _check_ids(pool, options)
    clock = options.clock(rate=STEPS_PER_SECOND, task="exchange")
    report = _reporter(progress, clock)
    if options.top == 1:
        result = _best(pool, scheme, options, clock, report)
    else:
        first = clock.share(BEST_SHARE)
        result = _best(pool, scheme, options, first, report)
        clock.used(first)
        result = _alternatives(pool, scheme, options, result, clock)
    if result.objective is not None:
        report(result.objective * SCALE, None if result.bound is None else result.bound * SCALE)
    return _statuses(result, options)


def _with_kept(options: ExchangeOptions) -> ExchangeOptions:
    """The kept exchanges (confirmed, done) asked for as included pairs."""
    if not options.keep:
        return options
    kept = [(v, h) for v, h, _ in options.keep]
    include = tuple(dict.fromkeys([*options.include, *kept]))
    return options.model_copy(update={"include": include})


def _statuses(result: ExchangeResult, options: ExchangeOptions) -> ExchangeResult:
    """The kept exchanges with the status they had; every other one proposed."""
    if not options.keep:
        return result
    status = {(v, h): s for v, h, s in options.keep}

    def marked(exchanges: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(
            x.model_copy(update={"status": status.get((x.visitor, x.host), "proposed")})
            for x in exchanges
        )

    alternatives = tuple(a.model_copy(update={"exchanges": marked(a.exchanges)})
                         for a in result.alternatives)  # fmt: skip
    return result.model_copy(
        update={"exchanges": marked(result.exchanges), "alternatives": alternatives}
    )


Report = Callable[[float | None, float | None], None]


def _reporter(progress: Progress | None, clock: Clock) -> Report:
    """``report(value, bound)`` in the solvers' scaled units, to ``progress`` in the plan's."""

    def report(value: float | None, bound: float | None) -> None:
        if progress is not None:
            scaled = [None if x is None else x / SCALE for x in (value, bound)]
            progress(clock.elapsed(), scaled[0], scaled[1])

    return report


def budgets_in_cents(pool: ExchangePool) -> list[int | None]:
    """Each partnership's budget in cents (None: no budget), as the integer solvers take them."""
    return [None if p.budget is None else to_cents(p.budget) for p in pool.partnerships]


def _check_ids(pool: ExchangePool, options: ExchangeOptions) -> None:
    """Every pair naming a participant the pool lacks, as one error naming the fields."""
    problems = [
        (name, f"{v}:{h}", f"no participant with the id {i!r} in pool {pool.name!r}")
        for name, pairs in (("include", options.include), ("exclude", options.exclude))
        for v, h in pairs
        for i in (v, h)
        if i not in pool.by_id
    ]
    if problems:
        raise OptionError(problems)


def _best(
    pool: ExchangePool, scheme: Scheme, options: ExchangeOptions, clock: Clock, report: Report
) -> ExchangeResult:
    candidates = Candidates(pool, scheme, options.history)
    edges = candidates.edges(options.exclude)
    log.info(
        "exchange: %d visitors, %d hosts, %d eligible pairs",
        len(candidates.visitors), len(candidates.hosts), len(edges),
    )  # fmt: skip
    # (visitor, host) -> edge, only when pairs are asked for (2 million entries take seconds)
    position = candidates.positions(edges, options.include) if options.include else {}
    refused = [why_not(scheme, pool, v, h, options.exclude) for v, h in options.include]
    refused = [
        why for (v, h), why in zip(options.include, refused, strict=True) if (v, h) not in position
    ]
    if refused:
        return judged_result(
            pool, scheme, options, clock, Status.INFEASIBLE, [], None, note="; ".join(refused)
        )
    forced = [position[pair] for pair in options.include]
    flow = flow_matching(edges, len(candidates.visitors), candidates.capacities)
    report(None, flow.bound)  # budgets only take value away
    budgets = budgets_in_cents(pool)
    together = candidates.at_once(edges)
    capped = options.max_halved is not None
    if all(b is None for b in budgets) and not forced and not together and not capped:
        return judged_result(
            pool,
            scheme,
            options,
            clock,
            Status.OPTIMAL,
            candidates.exchanges(edges, flow.chosen),
            flow.bound,
        )
    plan = Plan(candidates, edges, flow, budgets, forced, together)
    return _budgeted(pool, scheme, options, clock, plan, report)


def _budgeted(
    pool: ExchangePool,
    scheme: Scheme,
    options: ExchangeOptions,
    clock: Clock,
    plan_: Plan,
    report: Report,
) -> ExchangeResult:
    """With budgets, forced pairs or at-once limits: the Lagrangian pass, then CP-SAT from its
    plan."""
    candidates, edges = plan_.candidates, plan_.edges
    budgets, forced, together = plan_.budgets, plan_.forced, plan_.together
    # The Lagrangian pass first: its bound, and a plan within the budgets for CP-SAT to start from.
    log.info("exchange: budgets bind: the Lagrangian bound, then CP-SAT")
    phase = clock.share(BOUND_SHARE)
    warm = lagrangian(plan_, phase)
    clock.used(phase)
    if options.max_halved is not None:  # the warm start within the cap too
        capped = within_cap(edges, warm.plan, options.max_halved, forced)
        # the money and places the dropped short stays free go to full stays (the share only falls)
        capped = within_budgets(plan_, capped, fill_only=~edges.halved)
        warm = replace(warm, plan=capped, value=int(edges.value[capped].sum()) if capped else 0)
    report(warm.value, warm.bound)
    if interrupted():  # the best plan within the budgets so far, at once
        plan = candidates.exchanges(edges, warm.plan)
        return judged_result(pool, scheme, options, clock, Status.FEASIBLE, plan, warm.bound)
    if len(edges) > MAX_EDGES:
        kept = candidates.best_per_visitor(edges, CANDIDATES, keep=[*warm.plan, *forced])
    else:
        kept = np.arange(len(edges))
    sub = candidates.subset(edges, kept)
    index = {int(k): i for i, k in enumerate(kept)}
    groups = [
        ([index[int(k)] for k in members if int(k) in index], limit) for members, limit in together
    ]
    found = cpsat_matching(
        sub,
        len(candidates.visitors),
        candidates.capacities,
        budgets,
        SolveLimits.within(clock, options.workers, options.seed),
        hint=[index[k] for k in warm.plan],
        forced=[index[k] for k in forced],
        at_once=groups,
        halved_cap=_cap(sub, options),
    )
    clock.spend(found.deterministic_time)
    bound = float(warm.bound)
    if not forced and warm.value > (found.objective if found.objective is not None else -1):
        # CP-SAT did not reach the warm start in time (it is a hint, not a promise): keep it.
        plan = candidates.exchanges(edges, warm.plan)
        return judged_result(pool, scheme, options, clock, Status.FEASIBLE, plan, bound)
    if found.objective is None:
        status = Status.INFEASIBLE if found.status is Status.INFEASIBLE else Status.UNKNOWN
        return judged_result(pool, scheme, options, clock, status, [], None)
    # Optimal over all candidates only when the pruned optimum reaches the Lagrangian bound, or
    # nothing was pruned.
    whole = len(kept) == len(edges) or found.objective >= warm.bound
    status = Status.OPTIMAL if found.status is Status.OPTIMAL and whole else Status.FEASIBLE
    chosen = [int(kept[i]) for i in found.chosen]
    if len(kept) == len(edges) and found.bound is not None:
        bound = min(bound, float(found.bound))
    return judged_result(
        pool, scheme, options, clock, status, candidates.exchanges(edges, chosen), bound
    )


def _alternatives(
    pool: ExchangePool,
    scheme: Scheme,
    options: ExchangeOptions,
    best: ExchangeResult,
    clock: Clock,
) -> ExchangeResult:
    """The next-best programmes, each leaving out at least ``differ_by`` exchanges of every one
    listed before it, by CP-SAT on the candidate pairs with the earlier programmes cut off; the time
    left shared among them. Each search starts from a programme that already qualifies — the best
    one without its ``differ_by`` least valuable exchanges not yet left out, valid since fewer
    exchanges never break a rule — and keeps it when CP-SAT finds nothing better in its time: so a
    next-best programme is never far below the best, and never empty where the best is not. The
    list is in non-increasing value. Each is judged by the validator."""
    if not best.exchanges or clock.left() <= 0.05 or interrupted():
        return best
    candidates = Candidates(pool, scheme, options.history)
    edges = candidates.edges(options.exclude)
    asked = [(x.visitor, x.host) for x in best.exchanges] + list(options.include)
    position = candidates.positions(edges, asked)
    plans = [[position[(x.visitor, x.host)] for x in best.exchanges]]
    budgets = budgets_in_cents(pool)
    forced = [position[pair] for pair in options.include if pair in position]
    together = candidates.at_once(edges)
    # The best programme's exchanges that may go, least valuable first: dropped in turn, a window
    # of differ_by a rank, each start leaves out a different window.
    droppable = sorted((k for k in plans[0] if k not in set(forced)), key=lambda k: edges.value[k])
    found: list[tuple[int, list[int]]] = []  # (value, edges) of each next-best programme
    for rank in range(2, options.top + 1):
        if clock.left() <= 0.05 or interrupted():
            break
        window = droppable[(rank - 2) * options.differ_by : (rank - 1) * options.differ_by]
        start = [k for k in plans[0] if k not in set(window)]
        if (
            not START_FROM_BEST
            or not start
            or not _differs(start, plans, options.differ_by)
            or not _within(edges, start, options.max_halved)
        ):
            start = []
        keep = [k for plan in plans for k in plan] + forced
        kept = (
            candidates.best_per_visitor(edges, CANDIDATES, keep=keep)
            if len(edges) > MAX_EDGES
            else np.arange(len(edges))
        )
        index = {int(k): i for i, k in enumerate(kept)}
        sub = candidates.subset(edges, kept)
        phase = clock.share(1 / (options.top + 1 - rank))
        groups = [([index[int(k)] for k in m if int(k) in index], most) for m, most in together]
        match = cpsat_matching(
            sub,
            len(candidates.visitors),
            candidates.capacities,
            budgets,
            SolveLimits.within(phase, options.workers, options.seed),
            hint=[index[k] for k in start],
            forced=[index[k] for k in forced],
            at_once=groups,
            not_again=[[index[k] for k in plan] for plan in plans],
            differ_by=options.differ_by,
            halved_cap=_cap(sub, options),
        )
        clock.spend(match.deterministic_time)
        chosen = [int(kept[i]) for i in match.chosen] if match.objective is not None else []
        worth = int(edges.value[chosen].sum()) if chosen else -1
        if start and int(edges.value[start].sum()) > worth:
            chosen, worth = start, int(edges.value[start].sum())  # CP-SAT fell short of its start
        if not chosen:
            break  # no other programme with an exchange
        found.append((worth, chosen))
        plans.append(chosen)
    return best.model_copy(
        update={
            "alternatives": _listed(pool, scheme, edges, candidates, plans[0], found, options),
            "wall_time_s": round(clock.elapsed(), 3),
            "interrupted": interrupted(),
        }
    )


def _cap(edges: Any, options: ExchangeOptions) -> tuple[np.ndarray, int] | None:
    """The halved-share cap for CP-SAT (each edge's halving, the share in thousandths)."""
    if options.max_halved is None:
        return None
    return edges.halved, round(options.max_halved * 1000)


def _within(edges: Any, plan: list[int], share: float | None) -> bool:
    """Whether ``plan`` keeps to the halved-share cap (in thousandths, as CP-SAT counts)."""
    if share is None or not plan:
        return True
    return 1000 * int(edges.halved[plan].sum()) <= round(share * 1000) * len(plan)


def within_cap(edges: Any, plan: list[int], share: float, forced: Sequence[int]) -> list[int]:
    """``plan`` with its least valuable halved exchanges dropped until at most ``share`` of them
    are halved (dropping one lowers the share; a forced one stays)."""
    kept = list(plan)
    halved = sorted(
        (k for k in kept if edges.halved[k] and k not in set(forced)),
        key=lambda k: edges.value[k],
    )
    while halved and not _within(edges, kept, share):
        kept.remove(halved.pop(0))
    return kept


def _differs(plan: list[int], earlier: list[list[int]], differ_by: int) -> bool:
    """Whether ``plan`` leaves out at least ``differ_by`` exchanges of each earlier one (all of
    them when it has fewer; an empty earlier programme: ``plan`` has an exchange)."""
    chosen = set(plan)
    return all(
        (len(set(e) - chosen) >= min(differ_by, len(e))) if e else bool(chosen) for e in earlier
    )


def _listed(
    pool: ExchangePool,
    scheme: Scheme,
    edges: Any,
    candidates: Candidates,
    best: list[int],
    found: list[tuple[int, list[int]]],
    options: ExchangeOptions,
) -> tuple[Alternative, ...]:
    """The next-best programmes in non-increasing value, each still differing from every one
    listed before it (one found later but worth more moves up; one that then no longer differs
    from those above it is dropped), judged by the validator."""
    listed: list[list[int]] = [best]
    out = []
    for _, chosen in sorted(found, key=lambda f: -f[0]):
        if not _differs(chosen, listed, options.differ_by):
            continue
        rank = len(listed) + 1
        plan, verdict = judged_plan(
            pool,
            scheme,
            candidates.exchanges(edges, chosen),
            f"alternative programme {rank}",
            options,
        )
        differs = len(set(chosen) - set(best))
        out.append(
            Alternative(rank=rank, value=verdict.value, differs=differs, exchanges=tuple(plan))
        )
        listed.append(chosen)
    return tuple(out)
