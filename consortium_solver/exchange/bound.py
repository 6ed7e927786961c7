"""Budgets: the Lagrangian bound on a programme's value and the plans within the budgets it
finds on its way (CP-SAT's warm start), and the repair that makes any matching fit the budgets and
at-once limits."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from consortium_solver.core.clock import Clock
from consortium_solver.encode.exchanges import Edges, Matching, flow_matching
from consortium_solver.exchange.candidates import Candidates, EdgeTable

# The Lagrangian bound with budgets: at most this many rounds.
LAGRANGE_ROUNDS = 30


@dataclass(frozen=True)
class Plan:
    """What the CP-SAT path works on: the candidates and their edges, the budget-free flow, the
    budgets (cents), the forced edges and the at-once groups."""

    candidates: Candidates
    edges: EdgeTable
    flow: Matching
    budgets: list[int | None]
    forced: list[int]
    together: list[tuple[np.ndarray, int]]


@dataclass(frozen=True)
class Lagrangian:
    """What the Lagrangian pass found: an upper bound (scaled units), and the best plan within the
    budgets among the repaired priced matchings (edge indices and value) — CP-SAT's warm start."""

    bound: int
    plan: list[int]
    value: int


def lagrangian(plan_: Plan, clock: Clock) -> Lagrangian:
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


def _dropped_over(plan_: Plan, chosen: Sequence[int]) -> tuple[set[int], np.ndarray]:
    """``chosen`` without what breaks an at-once limit (the least valuable first) or overspends a
    budget (the least value per euro first), never a forced exchange; and each payer's spending."""
    edges, budgets = plan_.edges, plan_.budgets
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
    return keep, spent


def within_budgets(
    plan_: Plan, chosen: Sequence[int], fill_only: np.ndarray | None = None
) -> list[int]:
    """A matching made to fit the budgets and at-once limits: each group over its at-once limit
    drops its least valuable exchanges, each overspent partnership those of least value per euro
    (never a forced one) until it fits; then free visitors take the most valuable exchanges that
    still fit (a host with room, a partnership with money, a period with room at the host) —
    among the edges of ``fill_only`` alone when given (a mask)."""
    edges, candidates, budgets = plan_.edges, plan_.candidates, plan_.budgets
    keep, spent = _dropped_over(plan_, chosen)
    group_of = {int(k): g for g, (members, _) in enumerate(plan_.together) for k in members}
    limit = [most for _, most in plan_.together]
    room = candidates.capacities.tolist()
    visited = set()
    used = [0] * len(limit)
    for k in keep:
        room[edges.host[k]] -= 1
        visited.add(int(edges.visitor[k]))
        if k in group_of:
            used[group_of[k]] += 1
    # The fill: only edges of a visitor still free to a host with room can be taken, so it looks
    # at those alone, best first, as plain lists (a million edges in a fraction of a second), and
    # ends once every such visitor is placed or no host has room.
    taken = np.zeros(len(candidates.visitors), dtype=bool)
    taken[list(visited)] = True
    fillable = ~taken[edges.visitor] & (np.array(room)[edges.host] > 0)
    if fill_only is not None:
        fillable &= fill_only
    open_ = np.flatnonzero(fillable)
    order = open_[np.argsort(-edges.value[open_], kind="stable")]
    spending = spent.tolist()
    free_visitors = len(np.unique(edges.visitor[order]))
    free_places = sum(max(r, 0) for r in room)
    for k, v, h, payer, lump in zip(
        order.tolist(),
        edges.visitor[order].tolist(),
        edges.host[order].tolist(),
        edges.payer[order].tolist(),
        edges.lump[order].tolist(),
        strict=True,
    ):
        if free_visitors <= 0 or free_places <= 0:
            break
        budget, g = budgets[payer], group_of.get(k)
        if (
            v in visited
            or room[h] <= 0
            or (g is not None and used[g] >= limit[g])
            or (budget is not None and spending[payer] + lump > budget)
        ):
            continue
        if g is not None:
            used[g] += 1
        keep.add(k)
        visited.add(v)
        room[h] -= 1
        spending[payer] += lump
        free_visitors, free_places = free_visitors - 1, free_places - 1
    return sorted(keep)
