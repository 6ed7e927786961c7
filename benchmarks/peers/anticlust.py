"""R anticlust's three-phase search (``three_phase_search_anticlustering``, a C implementation of
Yang et al.'s TPSDP by Hengelbrock and Papenberg) as a peer column for benchmarks/mdgp.py.

Set-up, once (Debian; not part of CI, which never runs the peers):

    apt-get install -y r-base-core r-base-dev r-cran-rcpp r-cran-matrix r-cran-rann r-cran-lpsolve
    git clone https://github.com/m-Py/anticlust && R CMD INSTALL anticlust

``available()`` says why the column is missing where R or anticlust is absent. One run
(``anticlust_tpsdp.R``) gets a CPU-time budget; its groups come back here, are checked against the
instance's size bounds and valued by this package's MDGP objective (``peer_run.py``).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from peer_run import answer

SCRIPT = Path(__file__).resolve().parent / "anticlust_tpsdp.R"


def available() -> str | None:
    """None when Rscript and anticlust are installed; otherwise why not, in words."""
    if shutil.which("Rscript") is None:
        return "R is not installed (Rscript not on the PATH): the anticlust column is skipped"
    probe = subprocess.run(
        ["Rscript", "-e", "quit(status = !requireNamespace('anticlust', quietly = TRUE))"],
        capture_output=True, check=False,
    )  # fmt: skip
    if probe.returncode != 0:
        return "the R package anticlust is not installed: the anticlust column is skipped"
    return None


def solve(path: str, seconds: float, seed: int) -> tuple[float, float] | None:
    """(value, CPU seconds) of one anticlust run on an MDGPLIB file; None when anticlust cannot
    take the instance's size bounds (ranges that differ between groups)."""
    return answer(["Rscript", str(SCRIPT), path, str(seconds), str(seed)], path, "anticlust")
