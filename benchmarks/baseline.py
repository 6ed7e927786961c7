"""The code of an earlier commit, side by side with this one in the same benchmark run.

``checkout(rev)`` makes (once) a detached git worktree of ``rev`` under the system's temporary
folder; ``call(rev, "module:function", *args)`` runs that function of the earlier code in a
subprocess (in the worktree, ``PYTHONPATH`` pointing at it and at this checkout's benchmarks, this
interpreter) and returns its JSON answer.
Benchmarks use it for their "before" columns, so that before and after share the machine, the
load and the instances.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def checkout(rev: str) -> Path:
    """A worktree of ``rev`` (a commit, tag or branch), made on first use."""
    sha = subprocess.run(
        ["git", "rev-parse", "--verify", f"{rev}^{{commit}}"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    path = Path(tempfile.gettempdir()) / f"consortium-solver-{sha[:12]}"
    if not (path / "consortium_solver").is_dir():
        subprocess.run(
            ["git", "worktree", "add", "--detach", "--force", str(path), sha],
            cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
    return path


def call(rev: str, target: str, *args: Any) -> Any:
    """``module:function(*args)`` run on the code of ``rev``; its JSON-able answer."""
    module, function = target.split(":")
    code = (
        "import json, sys, importlib; "
        f"fn = getattr(importlib.import_module({module!r}), {function!r}); "
        "print(json.dumps(fn(*json.loads(sys.argv[1]))))"
    )
    tree = checkout(rev)
    env = {**os.environ, "PYTHONPATH": f"{tree}{os.pathsep}{ROOT / 'benchmarks'}"}
    # Run from the worktree: `python -c` puts the working folder first on the path, and this
    # checkout's package must not shadow the earlier one.
    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps(args)],
        cwd=tree, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])
