"""``consortium warm-up``: the search engines' compiled kernels built once, ahead of the first run
(tens of seconds on a machine's first run; numba keeps them on disk, later runs load them in about
a second). ``make run`` does it during set-up; after ``pip install``, run it once."""

from __future__ import annotations

import time

from consortium_solver.cli.app import app, guarded, stdout


@app.command("warm-up")
@guarded
def warm_up_command() -> None:
    """Compile the search engines once, so that no time limit pays for it (first run only)."""
    from consortium_solver.group.search import warm_up as groups
    from consortium_solver.mdgp.solve import warm_up as mdgp

    start = time.perf_counter()
    groups()
    mdgp()
    stdout().print(f"the search engines are ready ({time.perf_counter() - start:.1f} s)")
