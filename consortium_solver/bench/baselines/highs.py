"""The builder's model solved as a MIP by HiGHS (highspy), for side-by-side benchmarks.

The CP-SAT model's linear constraints are read from its proto and handed to HiGHS as rows: the same
variables, the same linearisation, the same integer objective. The two element constraints of the
pair-count cuts (redundant, CP only) are left out; their linear secant stays. highspy is optional
(the ``bench`` and ``dev`` extras); a clear error says so when it is missing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from consortium_solver.builder import Demands, consortium_rules, eligible_candidates
from consortium_solver.core.errors import InputError, InternalError
from consortium_solver.domain import Pool
from consortium_solver.encode import SelectionModel, encode_objective, encode_rule
from consortium_solver.rules import Call

INFINITE = 2**62


@dataclass(frozen=True)
class MipOutcome:
    status: str  # optimal | feasible | infeasible | unknown
    objective: float | None
    bound: float | None
    model_s: float


def solve_highs(
    pool: Pool, call: Call, demands: Demands, *, time_limit: float, threads: int = 1
) -> MipOutcome:
    """Best consortium value and bound found by HiGHS within the time limit (no member list)."""
    try:
        import highspy
    except ImportError:
        raise InputError(
            "the HiGHS solver needs highspy: pip install 'consortium-solver[bench]'",
            field="solver",
            value="highs",
        ) from None
    start = time.perf_counter()
    _, high = demands.size_range(call)
    candidates = eligible_candidates(pool, call, demands)
    rules = consortium_rules(call, demands)
    m = SelectionModel(candidates, max_size=high)
    for rule in rules:
        encode_rule(m, rule)
    objective = encode_objective(m, call.objective, call.link_weights())
    m.model.maximize(objective.expr)
    proto = m.model.proto

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", threads)
    h.setOptionValue("time_limit", float(max(time_limit - (time.perf_counter() - start), 0.1)))
    h.setOptionValue("mip_rel_gap", 0.0)
    inf = highspy.kHighsInf
    n_vars = len(proto.variables)
    domains = [list(v.domain) for v in proto.variables]
    lower = np.array([d[0] for d in domains], dtype=np.float64)
    upper = np.array([d[-1] for d in domains], dtype=np.float64)
    cost = np.zeros(n_vars)
    for var, coef in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
        cost[var] = coef  # CP-SAT stores a maximisation as a minimisation of the negation
    h.addCols(n_vars, cost, lower, upper, 0, np.array([]), np.array([]), np.array([]))
    h.changeColsIntegrality(
        n_vars,
        np.arange(n_vars, dtype=np.int32),
        np.array([highspy.HighsVarType.kInteger] * n_vars),
    )
    for ct in proto.constraints:
        if not ct.has_linear():
            continue  # the element constraints: redundant cuts
        if list(ct.enforcement_literal):
            raise InternalError("an enforced constraint in the builder's model")  # not linear
        domain = list(ct.linear.domain)
        lo, hi = domain[0], domain[-1]
        idx = np.array(list(ct.linear.vars), dtype=np.int32)
        val = np.array(list(ct.linear.coeffs), dtype=np.float64)
        h.addRow(
            -inf if lo <= -INFINITE else float(lo),
            inf if hi >= INFINITE else float(hi),
            len(idx),
            idx,
            val,
        )
    model_s = time.perf_counter() - start
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    sign = proto.objective.scaling_factor or 1.0
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible

    def value(raw: float) -> float:
        return round(sign * (raw + proto.objective.offset) / objective.scale, 6)

    if status == "Optimal":
        label = "optimal"
    elif status == "Infeasible":
        label = "infeasible"
    else:
        label = "feasible" if has_solution else "unknown"
    return MipOutcome(
        status=label,
        objective=value(info.objective_function_value) if has_solution else None,
        bound=value(info.mip_dual_bound) if label != "infeasible" else None,
        model_s=model_s,
    )
