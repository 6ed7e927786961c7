"""Next-best ClusterXchange programmes (issue 30, item 3): `--top 3` on the packaged instances and the
2,000 × 1,000 pool with budgets, side by side in one run with the baseline — the alternatives
searched by CP-SAT from nothing, as before (`exchange.solve.START_FROM_BEST = False`) — against
the searches that start from the best programme without its least valuable exchanges.

Per instance and seed: the best programme's value, the second's and third's as a share of it, how
many exchanges each changes, and the wall time against the limit.

    .venv/bin/python benchmarks/exchange_top.py --seeds 1 2
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import consortium_solver.exchange.solve as solve
from consortium_solver.domain.exchanges import ExchangePool
from consortium_solver.exchange import ExchangeOptions, plan_exchanges
from consortium_solver.io.exchanges import read_exchange_pool
from consortium_solver.rules.scheme import load_scheme

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from exchange import instance as large_instance  # noqa: E402


def pools() -> list[tuple[str, ExchangePool, float]]:
    """(name, pool, seconds) of each instance measured."""
    folder = ROOT / "instances" / "exchange"
    return [
        ("cxc-300", read_exchange_pool(folder / "cxc-300.json"), 10.0),
        ("cxc-1000", read_exchange_pool(folder / "cxc-1000.json"), 10.0),
        ("2000x1000, budgets", large_instance(1), 30.0),
    ]


def run(pool: ExchangePool, seconds: float, seed: int, start: bool) -> dict[str, Any]:
    solve.START_FROM_BEST = start
    began = time.perf_counter()
    result = plan_exchanges(
        pool, load_scheme(), ExchangeOptions(time_limit=seconds, top=3, seed=seed, workers=2)
    )
    wall = time.perf_counter() - began
    best = result.objective or 0.0
    share = [a.value / best if best else 0.0 for a in result.alternatives]
    return {
        "best": best,
        "second": share[0] if share else 0.0,
        "third": share[1] if len(share) > 1 else 0.0,
        "changed": [a.differs for a in result.alternatives],
        "wall": wall,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    print("| instance | limit, s | alternatives | best value | 2nd / best | 3rd / best |"
          " exchanges changed (2nd, 3rd) | wall, s (max) |")  # fmt: skip
    print("| --- | ---: | --- | ---: | ---: | ---: | --- | ---: |")
    for name, pool, seconds in pools():
        for start, label in ((False, "from nothing (baseline)"), (True, "from the best")):
            rows = [run(pool, seconds, seed, start) for seed in args.seeds]
            med = {k: statistics.median(r[k] for r in rows) for k in ("best", "second", "third")}
            changed = "; ".join(f"{r['changed']}" for r in rows)
            print(
                f"| {name} | {seconds:g} | {label} | {med['best']:,.0f} | {med['second']:.2%} |"
                f" {med['third']:.2%} | {changed} | {max(r['wall'] for r in rows):.1f} |",
                flush=True,
            )
    solve.START_FROM_BEST = True


if __name__ == "__main__":
    main()
