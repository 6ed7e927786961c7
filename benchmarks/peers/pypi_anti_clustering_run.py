"""One run of the PyPI package anti-clustering's exchange heuristic
(``ExchangeHeuristicAntiClustering``, Papenberg & Klau's exchange method in numpy) on an MDGPLIB
file, for a CPU-time budget. Run by that package's own interpreter (it pins numpy < 2), never
imported by the benchmark:

    ANTI_CLUSTERING_PYTHON pypi_anti_clustering_run.py INSTANCE SECONDS SEED

The heuristic counts restarts, not time: one restart measures the CPU time a restart takes and the
run proper gets as many as fit the budget. Prints "cpu_seconds restarts" then the groups (0-based)
on one line; the caller values them. Exit 3 where the package cannot take the instance: group
sizes that are not all equal (it deals the elements out evenly), or one restart longer than the
budget.
"""

from __future__ import annotations

import gzip
import sys
import time
from pathlib import Path

import numpy as np
from anti_clustering import ExchangeHeuristicAntiClustering  # type: ignore[import-not-found]

CANNOT = 3


def read(path: Path) -> tuple[np.ndarray, list[int]]:
    """The distance matrix and the per-group bounds (lower, upper, ...) of an MDGPLIB file. A
    reader of its own, not consortium_solver's read_mdgp: this interpreter (numpy < 2) has not got
    the package; the caller re-reads the file with read_mdgp to check and value the groups."""
    raw = path.read_bytes()
    text = (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8")
    lines = text.split("\n")
    header = lines[0].split()
    n, groups = int(header[0]), int(header[1])
    bounds = [int(v) for v in header[3 : 3 + 2 * groups]]
    d = np.zeros((n, n))
    for line in lines[1:]:
        parts = line.split()
        if parts:
            i, j = int(parts[0]), int(parts[1])
            d[i, j] = d[j, i] = float(parts[2])
    return d, bounds


def labels(same: np.ndarray) -> list[int]:
    """Group numbers from the package's n x n same-group matrix."""
    first = [int(np.flatnonzero(row | (np.arange(len(row)) == i))[0]) for i, row in enumerate(same)]
    names = {root: k for k, root in enumerate(sorted(set(first)))}
    return [names[root] for root in first]


def main() -> None:
    path, budget, seed = Path(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
    d, bounds = read(path)
    groups = len(bounds) // 2
    if len(set(bounds)) != 1 or len(d) % groups:
        print(
            "anti-clustering deals elements out evenly; this instance's sizes differ",
            file=sys.stderr,
        )
        sys.exit(CANNOT)

    def search(restarts: int) -> tuple[np.ndarray, float]:
        before = time.process_time()
        heuristic = ExchangeHeuristicAntiClustering(random_seed=seed, restarts=restarts)
        same = heuristic._solve(
            distance_matrix=d, num_groups=groups
        )  # no public call takes a distance matrix
        return same, time.process_time() - before

    _, one = search(1)
    if one > budget:
        print(f"one restart takes {one:.1f} s, more than the budget", file=sys.stderr)
        sys.exit(CANNOT)
    restarts = max(1, int(budget // one))
    same, cpu = search(restarts)
    print(f"{cpu:.3f} {restarts}")
    print(" ".join(str(g) for g in labels(same)))


if __name__ == "__main__":
    main()
