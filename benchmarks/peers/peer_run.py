"""Running a peer and reading what its run hands back: a line "cpu_seconds count", then the groups (0-based) on one
line. The groups are checked against the instance's size bounds and valued by this package's MDGP
objective — the function that values our own answers."""

from __future__ import annotations

import subprocess

import numpy as np

CANNOT = 3  # a peer script's exit code for an instance the peer cannot take


def answer(command: list[str], path: str, who: str) -> tuple[float, float] | None:
    """Run a peer's script on an MDGPLIB file: (value, CPU seconds), or None where it exits with
    ``CANNOT``; any other failure is raised with the script's own words."""
    out = subprocess.run(command, capture_output=True, text=True, check=False)
    if out.returncode == CANNOT:
        return None
    if out.returncode != 0:
        raise RuntimeError(f"{who} failed on {path}: {out.stderr.strip()}")
    return groups_value(path, out.stdout, who)


def groups_value(path: str, stdout: str, who: str) -> tuple[float, float]:
    """(value, CPU seconds) of a peer's answer on an MDGPLIB file."""
    from consortium_solver.mdgp import read_mdgp
    from consortium_solver.mdgp.reader import mdgp_value

    first, second = stdout.strip().splitlines()[:2]
    cpu = float(first.split()[0])
    groups = np.array([int(v) for v in second.split()], dtype=np.int64)
    inst = read_mdgp(path)
    sizes = np.bincount(groups, minlength=inst.groups)
    if groups.size != inst.n or sizes.size != inst.groups:
        raise RuntimeError(f"{who}'s answer on {path} does not assign every element to a group")
    if (sizes < inst.lower).any() or (sizes > inst.upper).any():
        raise RuntimeError(f"{who}'s groups on {path} break the instance's size bounds")
    return mdgp_value(inst.d, groups, inst.groups), cpu
