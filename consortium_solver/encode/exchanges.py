"""A programme of exchanges as a max-value b-matching: by min-cost flow when no budget binds (exact,
polynomial), by CP-SAT when budgets do (a knapsack per partnership inside).

Edges are given as arrays (visitor index, host index, integer value, integer lump sum in cents);
each visitor takes at most one edge, each host at most its capacity.

Flow network (Ahuja, Magnanti & Orlin, *Network Flows*, ch. 12, assignment as min-cost flow): source →
visitor (capacity 1), visitor → host (capacity 1, cost −value), host → sink (capacity = the host's
capacity), and source → sink (capacity = visitors, cost 0) for visitors left out; every unit of
supply reaches the sink, so the cheapest flow is the most valuable matching.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

from consortium_solver.core.errors import InternalError
from consortium_solver.domain import Status
from consortium_solver.encode.runner import STATUS, SolveLimits, configure, run_solver


@dataclass(frozen=True)
class Edges:
    """Candidate exchanges: parallel arrays over edges."""

    visitor: np.ndarray  # int: index of the visitor
    host: np.ndarray  # int: index of the host
    value: np.ndarray  # int: scaled value
    lump: np.ndarray  # int: lump sum in cents
    payer: np.ndarray  # int: index of the partnership paying (the visitor's)

    def __len__(self) -> int:
        return len(self.visitor)


@dataclass(frozen=True)
class Matching:
    status: Status
    chosen: list[int]  # edge indices
    objective: int | None
    bound: float | None
    deterministic_time: float = 0.0  # CP-SAT's, for the run's clock


def flow_matching(edges: Edges, n_visitors: int, capacities: np.ndarray) -> Matching:
    """The most valuable matching, ignoring budgets, by min-cost flow (optimal)."""
    n_hosts = len(capacities)
    source, sink = n_visitors + n_hosts, n_visitors + n_hosts + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    keep = np.flatnonzero(edges.value > 0)  # an edge of no value is never better than no exchange
    starts = np.concatenate(
        [
            np.full(n_visitors, source),
            edges.visitor[keep],
            n_visitors + np.arange(n_hosts),
            [source],
        ]
    )
    ends = np.concatenate(
        [np.arange(n_visitors), n_visitors + edges.host[keep], np.full(n_hosts, sink), [sink]]
    )
    caps = np.concatenate(
        [np.ones(n_visitors), np.ones(len(keep)), capacities, [n_visitors]]
    ).astype(np.int64)
    costs = np.concatenate(
        [np.zeros(n_visitors), -edges.value[keep], np.zeros(n_hosts), [0]]
    ).astype(np.int64)
    first_edge_arc = n_visitors
    flow.add_arcs_with_capacity_and_unit_cost(
        starts.astype(np.int32), ends.astype(np.int32), caps, costs
    )
    flow.set_node_supply(source, n_visitors)
    flow.set_node_supply(sink, -n_visitors)
    if flow.solve() != flow.OPTIMAL:
        raise InternalError("the exchange flow network has no feasible flow (a bug)")
    used = flow.flows(np.arange(first_edge_arc, first_edge_arc + len(keep)))
    chosen = [int(keep[k]) for k in np.flatnonzero(used > 0)]
    objective = int(-flow.optimal_cost())
    return Matching(Status.OPTIMAL, sorted(chosen), objective, float(objective))


def cpsat_matching(
    edges: Edges,
    n_visitors: int,
    capacities: np.ndarray,
    budgets: list[int | None],
    limits: SolveLimits,
    *,
    hint: Sequence[int] = (),
    forced: Sequence[int] = (),
    at_once: Sequence[tuple[Sequence[int], int]] = (),
    not_again: Sequence[Sequence[int]] = (),
    differ_by: int = 1,
    halved_cap: tuple[np.ndarray, int] | None = None,
) -> Matching:
    """The most valuable matching within each partnership's budget (cents), by CP-SAT; each group
    of ``at_once`` (a host's visitors of one period: edges, limit) takes at most its limit; no plan
    of ``not_again`` (edge lists) comes back: at least ``differ_by`` of its exchanges are left out
    (all of them when it has fewer; an empty one: the matching has an exchange); with
    ``halved_cap`` (each edge's halving, a share in thousandths) at most that share of the chosen
    edges is halved: 1000 · Σ halved ≤ share · Σ chosen."""
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"e{k}") for k in range(len(edges))]
    for group, bound in (
        (edges.visitor, np.ones(n_visitors, dtype=np.int64)),
        (edges.host, capacities.astype(np.int64)),
    ):
        order = np.argsort(group, kind="stable")
        cuts = np.flatnonzero(np.diff(group[order])) + 1
        for block in np.split(order, cuts) if len(order) else []:
            node = int(group[block[0]])
            model.add(sum(x[int(k)] for k in block) <= int(bound[node]))
    for p, budget in enumerate(budgets):
        if budget is None:
            continue
        paid = np.flatnonzero(edges.payer == p)
        if len(paid):
            model.add(
                cp_model.LinearExpr.weighted_sum(
                    [x[int(k)] for k in paid], [int(edges.lump[k]) for k in paid]
                )
                <= budget
            )
    for group_edges, most in at_once:
        model.add(sum(x[int(k)] for k in group_edges) <= most)
    for k in forced:
        model.add(x[k] == 1)
    if halved_cap is not None:
        halved, share = halved_cap
        short = [x[int(k)] for k in np.flatnonzero(halved)]
        model.add(1000 * sum(short) <= share * sum(x))
    for earlier in not_again:
        if earlier:
            model.add(sum(x[int(k)] for k in earlier) <= max(len(earlier) - differ_by, 0))
        else:  # the empty programme: another one has at least one exchange
            model.add(sum(x) >= 1)
    model.maximize(cp_model.LinearExpr.weighted_sum(x, [int(v) for v in edges.value]))
    chosen_hint = set(hint)
    for k, var in enumerate(x):
        model.add_hint(var, k in chosen_hint)
    solver = cp_model.CpSolver()
    configure(solver, limits)
    status = STATUS[run_solver(solver, model)]
    found = status in (Status.OPTIMAL, Status.FEASIBLE)
    chosen = [k for k, var in enumerate(x) if found and solver.boolean_value(var)]
    return Matching(
        status,
        chosen,
        round(solver.objective_value) if found else None,
        solver.best_objective_bound if found else None,
        solver.deterministic_time,
    )
