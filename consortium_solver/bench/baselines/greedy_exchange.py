"""The greedy baseline of ``exchange``: candidate pairs by value, best first, each taken while its
visitor is free, its host has room and the visitor's partnership can still pay — no flow, no CP-SAT;
the plan judged by the independent validator like any other answer."""

from __future__ import annotations

from consortium_solver.core.errors import InternalError
from consortium_solver.domain.exchanges import ExchangePool
from consortium_solver.exchange.candidates import Candidates
from consortium_solver.rules.scheme import Scheme
from consortium_solver.validate.exchanges import check_plan


def greedy_exchange(pool: ExchangePool, scheme: Scheme) -> float:
    """The value of the greedy programme (the validator's value of it)."""
    candidates = Candidates(pool, scheme)
    edges = candidates.edges()
    room = candidates.capacities.copy()
    visited: set[int] = set()
    left = {p.id: p.budget for p in pool.partnerships}
    chosen: list[int] = []
    for k in sorted(range(len(edges)), key=lambda k: -int(edges.value[k])):
        v, h = int(edges.visitor[k]), int(edges.host[k])
        payer = candidates.visitors[v].partnership
        cost, budget = float(edges.euros[k]), left[payer]
        if v in visited or room[h] == 0 or (budget is not None and cost > budget + 1e-9):
            continue
        visited.add(v)
        room[h] -= 1
        if budget is not None:
            left[payer] = budget - cost
        chosen.append(k)
    plan = candidates.exchanges(edges, chosen)
    verdict = check_plan(pool, scheme, plan)
    if not verdict.valid:
        raise InternalError(f"the greedy exchange baseline broke a rule: {verdict.problems[0]}")
    return verdict.value
