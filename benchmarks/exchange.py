"""ClusterXchange programmes at the issue's size: 2,000 visitors and 1,000 hosts (issue 14).

Per seed, one generated pool (real regions, 12 partnerships; the first 2,000 participants visit, the
other 1,000 host, capacities 1-4) solved four ways, side by side:

- flow: no budgets, `plan_exchanges` → min-cost flow (optimal);
- CP-SAT, no budgets: the same pool with budgets too large to bind, so that CP-SAT answers (on each
  visitor's 40 best hosts), 20 s; its value against the flow's optimum;
- CP-SAT, budgets: the generated budgets (about 60 % of the visitors at full lump sums), 60 s: the
  Lagrangian pass (its bound, and a plan within the budgets as the warm start), then CP-SAT; the gap
  to the Lagrangian bound;
- greedy: `consortium_solver.bench.baselines.greedy_exchange` — the edges by value, best first, taken
  while the visitor is free, the host has room and the budget allows, judged by the validator (the
  baseline; the bench suite `exchange` runs it too).

    .venv/bin/python benchmarks/exchange.py --seeds 1 2
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from consortium_solver.bench.baselines.greedy_exchange import greedy_exchange
from consortium_solver.domain.exchanges import ExchangePool, ParticipantType, Role
from consortium_solver.exchange import ExchangeOptions, plan_exchanges
from consortium_solver.rules.scheme import Scheme, load_scheme
from consortium_solver.synthetic.exchanges import generate_exchange_pool


def instance(seed: int, visitors: int = 2_000, hosts: int = 1_000) -> ExchangePool:
    """A generated pool re-roled: the first ``visitors`` visit (as cluster organisations where
    their type may not visit), the next ``hosts`` host."""
    drawn = generate_exchange_pool(visitors + hosts, seed, partnerships=12, budgets=False)
    people = []
    for k, p in enumerate(drawn.participants):
        if k < visitors:
            kind = p.participant_type
            if kind not in (
                ParticipantType.CLUSTER,
                ParticipantType.SCALING_UP,
                ParticipantType.SME,
            ):
                kind = ParticipantType.CLUSTER
            people.append(p.model_copy(update={"role": Role.VISITOR, "participant_type": kind}))
        else:
            capacity = max(p.capacity, 1 + k % 4)
            people.append(p.model_copy(update={"role": Role.HOST, "capacity": capacity}))
    counts: dict[str, int] = {}
    for p in people[:visitors]:
        counts[p.partnership] = counts.get(p.partnership, 0) + 1
    budgets = tuple(
        q.model_copy(update={"budget": round(0.6 * counts.get(q.id, 0) * 780.0, -1)})
        for q in drawn.partnerships
    )
    return ExchangePool(name=f"cxc-{seed}", partnerships=budgets, participants=tuple(people))


def with_budgets(pool: ExchangePool, budget: float | None) -> ExchangePool:
    changed = tuple(p.model_copy(update={"budget": budget}) for p in pool.partnerships)
    return pool.model_copy(update={"partnerships": changed})


def run(seed: int, scheme: Scheme) -> dict[str, Any]:
    pool = instance(seed)
    row: dict[str, Any] = {"seed": seed}
    start = time.perf_counter()
    flow = plan_exchanges(with_budgets(pool, None), scheme)
    row["flow_s"], row["flow"] = time.perf_counter() - start, flow.objective or 0.0
    start = time.perf_counter()
    loose = plan_exchanges(with_budgets(pool, 1e8), scheme, ExchangeOptions(time_limit=20))
    row["cpsat_free_s"], row["cpsat_free"] = time.perf_counter() - start, loose.objective or 0.0
    start = time.perf_counter()
    tight = plan_exchanges(pool, scheme, ExchangeOptions(time_limit=60))
    row["budget_s"], row["budget"] = time.perf_counter() - start, tight.objective or 0.0
    row["budget_status"], row["budget_bound"] = tight.status.value, tight.bound
    row["greedy_free"] = greedy_exchange(with_budgets(pool, None), scheme)
    row["greedy_budget"] = greedy_exchange(pool, scheme)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    scheme = load_scheme()
    rows = [run(seed, scheme) for seed in args.seeds]
    print(
        "| seed | flow value | flow s | CP-SAT (no budgets) value | vs flow | s |"
        " greedy (no budgets) | CP-SAT (budgets) value | status | bound | gap | s |"
        " greedy (budgets) |"
    )
    print(
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |"
    )
    for r in rows:
        bound = r["budget_bound"] or r["flow"]
        gap = (bound - r["budget"]) / bound if bound else 0.0
        print(
            f"| {r['seed']} | {r['flow']:,.0f} | {r['flow_s']:.1f} | {r['cpsat_free']:,.0f}"
            f" | {(r['cpsat_free'] - r['flow']) / r['flow']:+.3%} | {r['cpsat_free_s']:.1f}"
            f" | {r['greedy_free']:,.0f} | {r['budget']:,.0f} | {r['budget_status']}"
            f" | {bound:,.0f} | {gap:.2%} | {r['budget_s']:.1f} | {r['greedy_budget']:,.0f} |"
        )
    print(
        f"\nmedians: flow {statistics.median(r['flow_s'] for r in rows):.1f} s, CP-SAT without"
        f" budgets {statistics.median(r['cpsat_free_s'] for r in rows):.1f} s, with budgets"
        f" {statistics.median(r['budget_s'] for r in rows):.1f} s"
    )


if __name__ == "__main__":
    main()
