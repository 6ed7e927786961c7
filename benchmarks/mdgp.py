"""The MDGPLIB subset at a multiple of TPSDP's per-run time limits: gap to the best known values,
this commit side by side with an earlier one and with open peers, in one run.

    python benchmarks/mdgp.py                    # n = 120 and 240, seeds 1-3, 5x TPSDP's limits
    python benchmarks/mdgp.py --jobs 2           # two runs at a time (one per core)
    python benchmarks/mdgp.py --only n120 --factor 1
    python benchmarks/mdgp.py --factor 1 --jobs 2 --baseline 4414ef5   # before/after, same run
    python benchmarks/mdgp.py --factor 1 --jobs 2 --peers anticlust   # R anticlust, equal CPU time
    python benchmarks/mdgp.py --factor 1 --jobs 2 --peers anticlust anti-clustering  # and PyPI's
    python benchmarks/mdgp.py --factor 1 --jobs 2 --only n480 --large  # n = 480 (120 s a run)

TPSDP (Yang et al. 2022) ran 3 s per run at n = 120, 20 s at n = 240 and 120 s at n = 480 in native
code; its best of 20 runs is the best known value (instances/mdgplib/best_known.csv). gap = (best
known - value) / best known; negative when a run finds more than the best known (the instance files
round distances to 3 decimals, which can shift values slightly against the published ones). Where
the CSV holds no best known value (n = 480), the gap is to the best value any run of this benchmark
found on the instance, marked "(run)". The last column is TPSDP's own published mean of 20 runs
(its gap to its best of 20), the reference the others are read against. Peers (benchmarks/peers/)
get the same budget in CPU seconds; every value, ours and theirs, is computed by the package's MDGP
objective from the groups returned.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import statistics
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

LIB = Path(__file__).resolve().parent.parent / "instances" / "mdgplib"
PEERS = {
    "anticlust": "anticlust",
    "anti-clustering": "pypi_anti_clustering",
}  # name: module in peers/


def path_of(name: str) -> str:
    """The instance file (n = 480 files are gzipped)."""
    plain = LIB / "instances" / f"{name}.txt"
    return str(plain if plain.is_file() else plain.with_suffix(".txt.gz"))


def solve(name: str, seconds: float, seed: int) -> tuple[float, float]:
    """One run of the code on the path: (value, seconds)."""
    from consortium_solver.mdgp import MdgpOptions, read_mdgp, solve_mdgp

    inst = read_mdgp(path_of(name))
    result = solve_mdgp(inst, MdgpOptions(time_limit=seconds, seed=seed))
    assert result.objective is not None
    return result.objective, result.wall_time_s


def run(
    name: str, seconds: float, seed: int, who: str | None
) -> tuple[str, int, str | None, float | None, float]:
    """One run of this code, of an earlier commit's (``who`` a revision; benchmarks/baseline.py)
    or of a peer (``who`` = ``peer:NAME``); value None where the peer cannot take the instance."""
    if who is None:
        value, took = solve(name, seconds, seed)
        return name, seed, who, value, took
    if who.startswith("peer:"):
        answer = peer(who.removeprefix("peer:")).solve(path_of(name), seconds, seed)
        return name, seed, who, *(answer if answer is not None else (None, 0.0))
    from baseline import call

    value, took = call(who, "mdgp:solve", name, seconds, seed)
    return name, seed, who, value, took


def peer(name: str) -> Any:
    """A peer's module in benchmarks/peers/ (``available()``, ``solve()``)."""
    folder = str(Path(__file__).resolve().parent / "peers")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module(PEERS[name])


def label(who: str | None) -> str:
    return "this commit" if who is None else who.removeprefix("peer:")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--factor", type=float, default=5.0, help="multiple of TPSDP's time limit")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--only", default="", help="substring of instance names to run")
    parser.add_argument("--baseline", help="an earlier commit, run side by side (before columns)")
    parser.add_argument("--peers", nargs="*", default=[], choices=PEERS, help="open peers to run")
    parser.add_argument("--large", action="store_true", help="include n = 480 (120 s a run)")
    args = parser.parse_args()
    with (LIB / "best_known.csv").open(encoding="utf-8") as f:
        rows = [
            r
            for r in csv.DictReader(f)
            if r["tpsdp_time_limit_s"]
            and args.only in r["instance"]
            and (args.large or r["n"] != "480")
        ]
    columns: list[str | None] = [] if args.baseline is None else [args.baseline]
    columns.append(None)
    for name in args.peers:
        missing = peer(name).available()
        if missing:
            print(missing)
        else:
            columns.append(f"peer:{name}")
    jobs = [
        (r["instance"], float(r["tpsdp_time_limit_s"]) * args.factor, seed, who)
        for r in rows
        for seed in args.seeds
        for who in columns
    ]
    values: dict[tuple[str, str | None], list[float]] = {}
    with ProcessPoolExecutor(max_workers=args.jobs) as ex:
        for name, seed, who, value, seconds in ex.map(run, *zip(*jobs, strict=True)):
            shown = "cannot take these size bounds" if value is None else f"{value:.3f}"
            print(f"  {name} seed {seed} {label(who)}: {shown} ({seconds:.1f} s)", flush=True)
            if value is not None:
                values.setdefault((name, who), []).append(value)
    report(rows, values, columns, args.factor, args.seeds)


def gaps_of(
    rows: list[dict[str, str]], values: dict[tuple[str, str | None], list[float]]
) -> dict[tuple[str, str | None], list[float]]:
    """Gaps in % to the best known value, or to the best value of the run where none is stored."""
    gaps = {}
    for r in rows:
        name = r["instance"]
        seen = [v for (m, _), vs in values.items() if m == name for v in vs]
        if not (r["best_known"] or seen):
            continue
        best = float(r["best_known"]) if r["best_known"] else max(seen)
        for (m, who), vs in values.items():
            if m == name:
                gaps[m, who] = [(best - v) / best * 100 for v in vs]
    return gaps


def published(r: dict[str, str]) -> float | None:
    """TPSDP's mean of 20 runs as a gap in % to its best of 20 (None where not stored)."""
    if not (r["best_known"] and r["tpsdp_avg_of_20"]):
        return None
    best = float(r["best_known"])
    return (best - float(r["tpsdp_avg_of_20"])) / best * 100


def cells(gaps: list[float]) -> str:
    return f"{statistics.median(gaps):.3f} | {max(gaps):.3f}" if gaps else "n/a | n/a"


def report(
    rows: list[dict[str, str]],
    values: dict[tuple[str, str | None], list[float]],
    columns: list[str | None],
    factor: float,
    seeds: list[int],
) -> None:
    """The tables: per instance, per family (n, sizes), over all runs; a pair of columns each."""
    gaps = gaps_of(rows, values)
    names = [label(who) for who in columns]
    print()
    print(
        f"time limit {factor:g}x TPSDP's; seeds {seeds}; gap % to best known ({', '.join(names)})"
    )
    print()
    head = " | ".join(f"median gap % {n} | worst gap % {n}" for n in names)
    print(f"| instance | n | time limit s | {head} | TPSDP mean gap % (published) |")
    print("| --- | ---: | ---: |" + " ---: | ---: |" * len(columns) + " ---: |")
    for r in rows:
        limit = float(r["tpsdp_time_limit_s"]) * factor
        mark = "" if r["best_known"] else " (run)"
        row = " | ".join(cells(gaps.get((r["instance"], who), [])) for who in columns)
        tpsdp = published(r)
        ref = "n/a" if tpsdp is None else f"{tpsdp:.3f}"
        print(f"| {r['instance']}{mark} | {r['n']} | {limit:g} | {row} | {ref} |")
    families: dict[tuple[str, str, str], list[dict[str, str]]] = {}
    for r in rows:
        family, n, sizes = r["instance"].split("_")[:3]
        families.setdefault((family, n.removeprefix("n").lstrip("0"), sizes), []).append(r)
    print()
    print(f"| family | n | sizes | runs | {head} | TPSDP mean gap % (published): median, worst |")
    print("| --- | ---: | --- | ---: |" + " ---: | ---: |" * len(columns) + " ---: |")
    for (family, n, sizes), members in families.items():
        inside = [m["instance"] for m in members]
        parts = [cells([g for m in inside for g in gaps.get((m, who), [])]) for who in columns]
        runs = sum(len(gaps.get((m, None), [])) for m in inside)
        refs = [p for p in map(published, members) if p is not None]
        ref = f"{statistics.median(refs):.3f}, {max(refs):.3f}" if refs else "n/a"
        print(f"| {family} | {n} | {sizes} | {runs} | {' | '.join(parts)} | {ref} |")
    for who, name in zip(columns, names, strict=True):
        every = [g for (_, w), gs in gaps.items() if w == who for g in gs]
        if every:
            print(
                f"\n{name}: all runs median gap {statistics.median(every):.3f} %, "
                f"worst {max(every):.3f} %"
            )


if __name__ == "__main__":
    main()
