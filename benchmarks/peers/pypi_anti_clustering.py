"""The PyPI package anti-clustering (its exchange heuristic) as a peer column for
benchmarks/mdgp.py. It pins numpy < 2, so it lives in a virtual environment of its own (not part
of CI, which never runs the peers):

    python3 -m venv ~/.cache/consortium-solver/anti-clustering
    ~/.cache/consortium-solver/anti-clustering/bin/pip install "anti-clustering==0.4.1"

(or point ``ANTI_CLUSTERING_PYTHON`` at another interpreter that has it). One run
(``pypi_anti_clustering_run.py``) gets a CPU-time budget; its groups come back here, are checked
against the instance's size bounds and valued by this package's MDGP objective (``peer_run.py``).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from peer_run import answer

SCRIPT = Path(__file__).resolve().parent / "pypi_anti_clustering_run.py"
DEFAULT = Path.home() / ".cache" / "consortium-solver" / "anti-clustering" / "bin" / "python"


def interpreter() -> str:
    return os.environ.get("ANTI_CLUSTERING_PYTHON", str(DEFAULT))


def available() -> str | None:
    """None when the interpreter has anti-clustering; otherwise why not, in words."""
    python = interpreter()
    if not Path(python).is_file():
        where = "benchmarks/peers/pypi_anti_clustering.py"
        return f"no interpreter at {python} (see {where}): the anti-clustering column is skipped"
    probe = subprocess.run(
        [python, "-c", "import anti_clustering"], capture_output=True, check=False
    )
    if probe.returncode != 0:
        return f"{python} cannot import anti_clustering: the anti-clustering column is skipped"
    return None


def solve(path: str, seconds: float, seed: int) -> tuple[float, float] | None:
    """(value, CPU seconds) of one run; None where the package cannot take the instance."""
    return answer(
        [interpreter(), str(SCRIPT), path, str(seconds), str(seed)], path, "anti-clustering"
    )
