"""Planning a programme of exchanges: the candidate edges computed at once with numpy (eligibility,
distances, lump sums, values), then the most valuable matching — by min-cost flow when no budget is
set (optimal in polynomial time), else by CP-SAT on each visitor's best ``CANDIDATES`` hosts, hinted
by the flow's matching, whose value is also the bound (budgets only take value away).

The plan is judged by the independent validator; a plan it rejects is a bug.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from consortium_solver.clock import Clock, interrupted
from consortium_solver.domain import LAGGING, Alternative, ExchangeResult, Status
from consortium_solver.domain.exchanges import Exchange, ExchangePool, Participant
from consortium_solver.encode import SolveLimits
from consortium_solver.encode.exchanges import Edges, Matching, cpsat_matching, flow_matching
from consortium_solver.errors import InputError, InternalError
from consortium_solver.rules.scheme import Scheme
from consortium_solver.validate.exchanges import check_plan, exchange_problems

SCALE = 1000  # values in thousandths for the integer solvers
# The Lagrangian bound with budgets: the last share of the limit, at most this many rounds.
BOUND_SHARE, LAGRANGE_ROUNDS = 0.2, 30
# Above this many candidate edges CP-SAT looks at each visitor's CANDIDATES most valuable hosts and
# CANDIDATES best value per euro only (2,000 visitors and 1,000 hosts make 2 million edges); below
# it, at all of them.
MAX_EDGES, CANDIDATES = 200_000, 25
EARTH_KM = 6371.0


@dataclass
class ExchangeOptions:
    include: Sequence[tuple[str, str]] = ()
    exclude: Sequence[tuple[str, str]] = ()
    time_limit: float = 60.0
    deterministic: bool = False
    seed: int = 0
    workers: int = 2
    top: int = 1  # with more: the next-best distinct programmes too (ExchangeResult.alternatives)


# With --top K > 1: the best programme's share of the time limit (the alternatives share the rest).
BEST_SHARE = 0.6


def plan_exchanges(
    pool: ExchangePool, scheme: Scheme, options: ExchangeOptions | None = None
) -> ExchangeResult:
    """The most valuable programme of exchanges of the pool under the scheme.

    Raises:
        InputError: an included or excluded pair names an unknown participant.
        InternalError: the validator rejects the plan.
    """
    options = options or ExchangeOptions()
    if not 1 <= options.top <= 100:
        raise InputError("from 1 to 100 programmes", field="--top", value=options.top)
    if options.top == 1:
        return _best(pool, scheme, options)
    first = dataclasses.replace(options, time_limit=BEST_SHARE * options.time_limit, top=1)
    result = _best(pool, scheme, first)
    return _alternatives(pool, scheme, options, result)


def _best(pool: ExchangePool, scheme: Scheme, options: ExchangeOptions) -> ExchangeResult:
    start = time.perf_counter()
    for option, pairs in (("--include", options.include), ("--exclude", options.exclude)):
        for v, h in pairs:
            pool.require(v, option)
            pool.require(h, option)
    candidates = _Candidates(pool, scheme)
    edges = candidates.edges(options.exclude)
    # (visitor, host) -> edge, only when pairs are asked for (2 million entries take seconds)
    position = candidates.positions(edges) if options.include else {}
    refused = [_why_not(scheme, pool, v, h, options.exclude) for v, h in options.include]
    refused = [
        why for (v, h), why in zip(options.include, refused, strict=True) if (v, h) not in position
    ]
    if refused:
        return _result(
            pool, scheme, options, start, Status.INFEASIBLE, [], None, note="; ".join(refused)
        )
    forced = [position[pair] for pair in options.include]
    flow = flow_matching(edges, len(candidates.visitors), candidates.capacities)
    budgets = [None if p.budget is None else round(p.budget * 100) for p in pool.partnerships]
    together = candidates.at_once(edges)
    if all(b is None for b in budgets) and not forced and not together:
        return _result(
            pool,
            scheme,
            options,
            start,
            Status.OPTIMAL,
            candidates.exchanges(edges, flow.chosen),
            flow.bound,
        )
    plan = _Plan(candidates, edges, flow, budgets, forced, together)
    return _budgeted(pool, scheme, options, start, plan)


@dataclass(frozen=True)
class _Plan:
    """What the CP-SAT path works on: the candidates and their edges, the budget-free flow, the
    budgets (cents), the forced edges and the at-once groups."""

    candidates: _Candidates
    edges: EdgeTable
    flow: Matching
    budgets: list[int | None]
    forced: list[int]
    together: list[tuple[np.ndarray, int]]


def _budgeted(
    pool: ExchangePool, scheme: Scheme, options: ExchangeOptions, start: float, plan_: _Plan
) -> ExchangeResult:
    """With budgets, forced pairs or at-once limits: the Lagrangian pass, then CP-SAT from its
    plan."""
    candidates, edges = plan_.candidates, plan_.edges
    budgets, forced, together = plan_.budgets, plan_.forced, plan_.together
    # The Lagrangian pass first: its bound, and a plan within the budgets for CP-SAT to start from.
    warm = lagrangian(
        plan_, Clock(BOUND_SHARE * options.time_limit, deterministic=options.deterministic)
    )
    if len(edges) > MAX_EDGES:
        kept = candidates.best_per_visitor(edges, CANDIDATES, keep=[*warm.plan, *forced])
    else:
        kept = np.arange(len(edges))
    sub = candidates.subset(edges, kept)
    index = {int(k): i for i, k in enumerate(kept)}
    groups = [
        ([index[int(k)] for k in members if int(k) in index], limit) for members, limit in together
    ]
    limits = SolveLimits.of(
        max(0.1, options.time_limit - (time.perf_counter() - start)),
        options.deterministic,
        options.workers,
        options.seed,
    )
    found = cpsat_matching(
        sub,
        len(candidates.visitors),
        candidates.capacities,
        budgets,
        limits,
        hint=[index[k] for k in warm.plan],
        forced=[index[k] for k in forced],
        at_once=groups,
    )
    bound = float(warm.bound)
    if not forced and warm.value > (found.objective if found.objective is not None else -1):
        # CP-SAT did not reach the warm start in time (it is a hint, not a promise): keep it.
        plan = candidates.exchanges(edges, warm.plan)
        return _result(pool, scheme, options, start, Status.FEASIBLE, plan, bound)
    if found.objective is None:
        status = Status.INFEASIBLE if found.status is Status.INFEASIBLE else Status.UNKNOWN
        return _result(pool, scheme, options, start, status, [], None)
    # Optimal over all candidates only when the pruned optimum reaches the Lagrangian bound, or
    # nothing was pruned.
    whole = len(kept) == len(edges) or found.objective >= warm.bound
    status = Status.OPTIMAL if found.status is Status.OPTIMAL and whole else Status.FEASIBLE
    chosen = [int(kept[i]) for i in found.chosen]
    if len(kept) == len(edges) and found.bound is not None:
        bound = min(bound, float(found.bound))
    return _result(pool, scheme, options, start, status, candidates.exchanges(edges, chosen), bound)


def _alternatives(
    pool: ExchangePool, scheme: Scheme, options: ExchangeOptions, best: ExchangeResult
) -> ExchangeResult:
    """The next-best programmes, each distinct from every one before it (at least one exchange
    differs), by CP-SAT on the candidate pairs with the earlier programmes cut off; the time left
    shared among them. Each is judged by the validator."""
    if not best.exchanges and best.status is not Status.OPTIMAL:
        return best
    start = time.perf_counter()
    candidates = _Candidates(pool, scheme)
    edges = candidates.edges(options.exclude)
    position = candidates.positions(edges)
    plans = [[position[(x.visitor, x.host)] for x in best.exchanges]]
    budgets = [None if p.budget is None else round(p.budget * 100) for p in pool.partnerships]
    forced = [position[pair] for pair in options.include if pair in position]
    found: list[Alternative] = []
    seconds = (1 - BEST_SHARE) * options.time_limit
    for rank in range(2, options.top + 1):
        left = seconds - (time.perf_counter() - start)
        if left <= 0.05 or interrupted() or not len(edges):
            break
        keep = [k for plan in plans for k in plan] + forced
        kept = (
            candidates.best_per_visitor(edges, CANDIDATES, keep=keep)
            if len(edges) > MAX_EDGES
            else np.arange(len(edges))
        )
        index = {int(k): i for i, k in enumerate(kept)}
        sub = candidates.subset(edges, kept)
        limits = SolveLimits.of(
            left / (options.top + 1 - rank), options.deterministic, options.workers, options.seed
        )
        groups = [
            ([index[int(k)] for k in m if int(k) in index], most)
            for m, most in candidates.at_once(edges)
        ]
        match = cpsat_matching(
            sub,
            len(candidates.visitors),
            candidates.capacities,
            budgets,
            limits,
            forced=[index[k] for k in forced],
            at_once=groups,
            not_again=[[index[k] for k in plan] for plan in plans],
        )
        if match.objective is None:
            break
        chosen = [int(kept[i]) for i in match.chosen]
        plan = candidates.exchanges(edges, chosen)
        verdict = check_plan(pool, scheme, plan)
        if not verdict.valid:
            raise InternalError(f"an alternative programme breaks a rule: {verdict.problems[0]}")
        plan = [
            e.model_copy(update={"value": v}) for e, v in zip(plan, verdict.values, strict=True)
        ]
        differs = len(set(chosen) - set(plans[0]))
        found.append(
            Alternative(rank=rank, value=verdict.value, differs=differs, exchanges=tuple(plan))
        )
        plans.append(chosen)
    elapsed = best.wall_time_s + (time.perf_counter() - start)
    return best.model_copy(update={"alternatives": tuple(found), "wall_time_s": round(elapsed, 3)})


class _Candidates:
    """Every eligible (visitor, host) pair with its distance, lump sum and value, as arrays."""

    def __init__(self, pool: ExchangePool, scheme: Scheme) -> None:
        self.pool, self.scheme = pool, scheme
        allowed = scheme.countries_allowed()
        self.visitors = [p for p in pool.participants if _may_visit(scheme, p)]
        self.hosts = [
            p
            for p in pool.participants
            if p.hosts
            and p.participant_type in scheme.host_types
            and p.country in allowed
            and p.capacity > 0
        ]
        self.capacities = np.array([h.capacity for h in self.hosts], dtype=np.int64)
        self.payer_index = {p.id: i for i, p in enumerate(pool.partnerships)}

    def edges(self, exclude: Sequence[tuple[str, str]] = ()) -> EdgeTable:
        return EdgeTable.of(self, set(exclude))

    def positions(self, edges: EdgeTable) -> dict[tuple[str, str], int]:
        """(visitor id, host id) -> the edge's position in ``edges``."""
        return {
            (self.visitors[a].id, self.hosts[b].id): k
            for k, (a, b) in enumerate(zip(edges.visitor, edges.host, strict=True))
        }

    def best_per_visitor(self, edges: EdgeTable, k: int, keep: list[int]) -> np.ndarray:
        """Each visitor's ``k`` most valuable hosts and its ``k`` best value per euro (with budgets
        binding, two halved lump sums can be worth more than one full one), and ``keep``."""
        chosen = set(keep)
        per_euro = edges.value / np.maximum(edges.lump, 1)
        for score in (edges.value, per_euro):
            order = np.lexsort((-score, edges.visitor))
            first = np.r_[0, np.flatnonzero(np.diff(edges.visitor[order])) + 1]
            rank = np.arange(len(order)) - np.repeat(first, np.diff(np.r_[first, len(order)]))
            chosen |= set(order[rank < k].tolist())
        return np.array(sorted(chosen), dtype=np.int64)

    def at_once(self, edges: EdgeTable) -> list[tuple[np.ndarray, int]]:
        """The edges of each host's visitors travelling in one period, where the host takes fewer
        at once than there are (edge indices, limit): the "host-at-once" rule."""
        groups: dict[tuple[int, str], list[int]] = {}
        for k, (v, h) in enumerate(zip(edges.visitor.tolist(), edges.host.tolist(), strict=True)):
            period, limit = self.visitors[v].period, self.hosts[h].at_once
            if period is not None and limit is not None:
                groups.setdefault((h, period), []).append(k)
        return [
            (np.array(members, dtype=np.int64), int(self.hosts[h].at_once or 0))
            for (h, _), members in groups.items()
            if len(members) > (self.hosts[h].at_once or 0)
        ]

    def subset(self, edges: EdgeTable, kept: np.ndarray) -> EdgeTable:
        return EdgeTable(
            edges.visitor[kept],
            edges.host[kept],
            edges.value[kept],
            edges.lump[kept],
            edges.payer[kept],
            edges.km[kept],
            edges.euros[kept],
        )

    def exchanges(self, edges: EdgeTable, chosen: Sequence[int]) -> list[Exchange]:
        out = []
        for k in sorted(chosen, key=lambda k: (int(edges.visitor[k]), int(edges.host[k]))):
            visitor, host = self.visitors[int(edges.visitor[k])], self.hosts[int(edges.host[k])]
            out.append(
                Exchange(
                    visitor=visitor.id,
                    host=host.id,
                    working_days=visitor.working_days,
                    distance_km=float(edges.km[k]),
                    lump_sum=float(edges.euros[k]),
                    partnership=visitor.partnership,
                )
            )
        return out


@dataclass(frozen=True)
class EdgeTable(Edges):
    """The candidate edges, with each one's distance (km) and lump sum (EUR) for the plan."""

    km: np.ndarray
    euros: np.ndarray

    @classmethod
    def of(cls, c: _Candidates, exclude: set[tuple[str, str]]) -> EdgeTable:
        scheme, w = c.scheme, c.scheme.objective
        vs, hs = c.visitors, c.hosts
        if not vs or not hs:
            empty = np.zeros(0, dtype=np.int64)
            return cls(empty, empty, empty, empty, empty, np.zeros(0), np.zeros(0))
        vc = np.array([v.country for v in vs])
        hc = np.array([h.country for h in hs])
        ok = vc[:, None] != hc[None, :]
        vid = {v.id: a for a, v in enumerate(vs)}
        hid = {h.id: b for b, h in enumerate(hs)}
        for visitor_id, host_id in exclude:
            if visitor_id in vid and host_id in hid:
                ok[vid[visitor_id], hid[host_id]] = False
        for row, person in enumerate(vs):  # a participant never visits itself
            if person.id in hid:
                ok[row, hid[person.id]] = False
        km = _distances(np.array([v.point for v in vs]), np.array([h.point for h in hs]))
        days = np.array([v.working_days for v in vs])
        ceiling = np.array([scheme.ceiling(h.country) for h in hs])
        short = (days[:, None] < scheme.halve_below_working_days) | (km < scheme.halve_below_km)
        euros = np.where(short, ceiling[None, :] / 2, ceiling[None, :])
        topics = sorted({t for p in (*vs, *hs) for t in (*p.seeks, *p.offers)})
        fit = _incidence(vs, "seeks", topics) @ _incidence(hs, "offers", topics).T
        sectors = sorted({s for p in (*vs, *hs) for s in p.sectors})
        shared = (_incidence(vs, "sectors", sectors) @ _incidence(hs, "sectors", sectors).T) > 0
        lag_v = np.array([v.region_category in LAGGING for v in vs])
        lag_h = np.array([h.region_category in LAGGING for h in hs])
        value = (
            w.exchange
            + w.fit * fit
            + w.shared_sector * shared
            + w.lagging * (lag_v[:, None] | lag_h[None, :])
            + w.full_lump_sum * ~short
        )
        rows, cols = np.nonzero(ok)
        payer = np.array([c.payer_index[v.partnership] for v in vs])
        return cls(
            rows.astype(np.int64),
            cols.astype(np.int64),
            np.rint(value[rows, cols] * SCALE).astype(np.int64),
            np.rint(euros[rows, cols] * 100).astype(np.int64),
            payer[rows],
            km[rows, cols],
            euros[rows, cols],
        )


@dataclass(frozen=True)
class Lagrangian:
    """What the Lagrangian pass found: an upper bound (scaled units), and the best plan within the
    budgets among the repaired priced matchings (edge indices and value) — CP-SAT's warm start."""

    bound: int
    plan: list[int]
    value: int


def lagrangian(plan_: _Plan, clock: Clock) -> Lagrangian:
    """Budgets moved into the objective at a price per cent λ_P for each partnership (Lagrangian
    relaxation; Fisher, "The Lagrangian relaxation method for solving integer programming
    problems", 1981). For any λ ≥ 0 the best matching under values v − λ·lump, plus
    Σ λ_P · budget_P, bounds the optimum from above; λ follows Polyak's subgradient steps towards
    the best plan found so far while the clock lasts. Values are rounded up, so every bound stays
    valid (the at-once limits, left out of the relaxation, only lower the optimum). Each priced
    matching, repaired to fit the budgets and at-once limits (:func:`within_budgets`), is a plan;
    the best is kept."""
    edges, candidates, budgets, flow = plan_.edges, plan_.candidates, plan_.budgets, plan_.flow
    best = flow.objective or 0
    plan = within_budgets(plan_, flow.chosen)
    value = int(edges.value[plan].sum()) if plan else 0
    limited = np.array([b is not None for b in budgets])
    if not limited.any() or not len(edges):
        return Lagrangian(best, plan, value)
    price = np.zeros(len(budgets))
    limit = np.array([b or 0 for b in budgets], dtype=np.float64)
    chosen, current, theta, stale = flow.chosen, float(best), 1.0, 0
    for _ in range(LAGRANGE_ROUNDS):
        spent = np.bincount(edges.payer[chosen], weights=edges.lump[chosen], minlength=len(budgets))
        slack = np.where(limited, limit - spent, 0.0)  # the subgradient of the dual function
        norm2 = float(slack @ slack)
        if norm2 == 0 or current <= value or clock.expired():
            break
        price = np.maximum(0.0, price - theta * (current - value) * slack / norm2)
        reduced = np.ceil(edges.value - price[edges.payer] * edges.lump).astype(np.int64)
        trial = Edges(edges.visitor, edges.host, reduced, edges.lump, edges.payer)
        relaxed = flow_matching(trial, len(candidates.visitors), candidates.capacities)
        current = (relaxed.objective or 0) + math.ceil(float(price @ limit))
        chosen = relaxed.chosen
        repaired = within_budgets(plan_, chosen)
        if int(edges.value[repaired].sum()) > value:
            plan, value = repaired, int(edges.value[repaired].sum())
        if current < best:
            best, stale = current, 0
        else:
            stale += 1
            if stale >= 2:
                theta, stale = theta / 2, 0
    return Lagrangian(best, plan, value)


def within_budgets(plan_: _Plan, chosen: Sequence[int]) -> list[int]:
    """A matching made to fit the budgets and at-once limits: each group over its at-once limit
    drops its least valuable exchanges, each overspent partnership those of least value per euro
    (never a forced one) until it fits; then free visitors take the most valuable exchanges that
    still fit (a host with room, a partnership with money, a period with room at the host)."""
    edges, candidates, budgets = plan_.edges, plan_.candidates, plan_.budgets
    keep = set(int(k) for k in chosen)
    pinned = set(int(k) for k in plan_.forced)
    group_of = {int(k): g for g, (members, _) in enumerate(plan_.together) for k in members}
    limit = [most for _, most in plan_.together]
    used = [0] * len(limit)
    for k in sorted(keep, key=lambda k: -int(edges.value[k])):
        g = group_of.get(k)
        if g is not None:
            if used[g] >= limit[g] and k not in pinned:
                keep.discard(k)
            else:
                used[g] += 1
    spent = (
        np.bincount(edges.payer[list(keep)], weights=edges.lump[list(keep)], minlength=len(budgets))
        if keep
        else np.zeros(len(budgets))
    )
    for payer, budget in enumerate(budgets):
        if budget is None or spent[payer] <= budget:
            continue
        mine = sorted(
            (k for k in keep if edges.payer[k] == payer and k not in pinned),
            key=lambda k: edges.value[k] / max(int(edges.lump[k]), 1),
        )
        for k in mine:
            if spent[payer] <= budget:
                break
            keep.discard(k)
            spent[payer] -= edges.lump[k]
    room = candidates.capacities.copy()
    visited = set()
    used = [0] * len(limit)
    for k in keep:
        room[edges.host[k]] -= 1
        visited.add(int(edges.visitor[k]))
        if k in group_of:
            used[group_of[k]] += 1
    for k in np.argsort(-edges.value, kind="stable"):
        v, h, payer = int(edges.visitor[k]), int(edges.host[k]), int(edges.payer[k])
        budget, g = budgets[payer], group_of.get(int(k))
        if (
            v in visited
            or room[h] <= 0
            or (g is not None and used[g] >= limit[g])
            or (budget is not None and spent[payer] + edges.lump[k] > budget)
        ):
            continue
        if g is not None:
            used[g] += 1
        keep.add(int(k))
        visited.add(v)
        room[h] -= 1
        spent[payer] += edges.lump[k]
    return sorted(keep)


def _why_not(
    scheme: Scheme, pool: ExchangePool, v: str, h: str, exclude: Sequence[tuple[str, str]]
) -> str:
    """Why a pair asked for with --include cannot be an exchange, rule by rule."""
    if (v, h) in exclude:
        return f"{v}:{h}: asked to be both included and excluded"
    visitor, host = pool.by_id[v], pool.by_id[h]
    problems = exchange_problems(scheme, visitor, host, visitor.working_days)
    if v == h:
        problems.append(f"different-countries: {v} cannot visit itself")
    if host.capacity == 0:
        problems.append(f"host-capacity: {h} has a capacity of 0")
    return f"{v}:{h}: " + ("; ".join(problems) or "not an eligible exchange")


def _may_visit(scheme: Scheme, p: Participant) -> bool:
    """A visitor the scheme admits (who may be left without a host)."""
    return (
        p.visits
        and p.participant_type in scheme.visitor_types
        and p.country in scheme.countries_allowed()
        and scheme.min_working_days <= p.working_days <= scheme.max_working_days
    )


def _incidence(people: Sequence[Participant], field: str, items: list[str]) -> np.ndarray:
    index = {t: i for i, t in enumerate(items)}
    out = np.zeros((len(people), max(len(items), 1)), dtype=np.int64)
    for row, p in enumerate(people):
        for t in getattr(p, field):
            out[row, index[t]] = 1
    return out


def _distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Great-circle distances (haversine), km rounded to 0.1, between every a and every b."""
    la, lo = np.radians(a[:, 0])[:, None], np.radians(a[:, 1])[:, None]
    lb, lob = np.radians(b[:, 0])[None, :], np.radians(b[:, 1])[None, :]
    h = np.sin((lb - la) / 2) ** 2 + np.cos(la) * np.cos(lb) * np.sin((lob - lo) / 2) ** 2
    return np.asarray(np.round(2 * EARTH_KM * np.arcsin(np.minimum(1.0, np.sqrt(h))), 1))


def _result(
    pool: ExchangePool,
    scheme: Scheme,
    options: ExchangeOptions,
    start: float,
    status: Status,
    exchanges: list[Exchange],
    bound: float | None,
    note: str | None = None,
) -> ExchangeResult:
    verdict = check_plan(pool, scheme, exchanges)
    if not verdict.valid:
        raise InternalError(f"the planner made a plan the validator rejects: {verdict.problems[0]}")
    exchanges = [
        e.model_copy(update={"value": v}) for e, v in zip(exchanges, verdict.values, strict=True)
    ]
    placed = {e.visitor for e in exchanges}
    unplaced = tuple(
        p.id for p in pool.participants if p.id not in placed and _may_visit(scheme, p)
    )
    return ExchangeResult(
        scheme=scheme.id,
        pool=pool.name,
        status=status,
        objective=verdict.value if exchanges or status is Status.OPTIMAL else None,
        bound=None if bound is None else bound / SCALE,
        wall_time_s=round(time.perf_counter() - start, 3),
        seed=options.seed,
        workers=1 if options.deterministic else options.workers,
        exchanges=tuple(exchanges),
        spending=verdict.spending,
        unplaced=unplaced,
        note=note,
        interrupted=interrupted(),
    )
