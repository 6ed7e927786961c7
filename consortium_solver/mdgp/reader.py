"""MDGPLIB instances: ``n G type a_1 b_1 … a_G b_G`` then ``i j d_ij`` lines, and the objective."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from consortium_solver.core.errors import InputError


@dataclass(frozen=True)
class MdgpInstance:
    """An MDGPLIB instance: distances and per-group size bounds."""

    name: str
    d: np.ndarray  # n x n, symmetric, zero diagonal
    lower: np.ndarray  # a_g
    upper: np.ndarray  # b_g

    @property
    def n(self) -> int:
        return int(self.d.shape[0])

    @property
    def groups(self) -> int:
        return len(self.lower)


def read_mdgp(path: str | Path) -> MdgpInstance:
    """Read ``n G type a_1 b_1 … a_G b_G`` then ``i j d_ij`` lines (0-based, i < j); a file
    ending in ``.gz`` is read through gzip (MDGPLIB's n = 480 files are 1.7 MB of text each).

    Raises:
        InputError: a malformed header or line, an index out of range, or impossible bounds.
    """
    path = Path(path)
    source = str(path)
    if not path.is_file():
        raise InputError("no such file", source=source)
    raw = path.read_bytes()
    if path.suffix == ".gz":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError):  # gzip.BadGzipFile is an OSError; EOFError: cut short
            raise InputError("not a readable gzip file", source=source) from None
    try:
        lines = raw.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", source=source) from None
    header = lines[0].split() if lines else []
    try:
        n, g = int(header[0]), int(header[1])
        bounds = [int(v) for v in header[3 : 3 + 2 * g]]
    except (IndexError, ValueError):
        raise InputError(
            "expected a header 'n G type a_1 b_1 ... a_G b_G'", source=source, where="line 1"
        ) from None
    if n < 2 or g < 1 or len(bounds) != 2 * g:
        raise InputError(
            "expected a header 'n G type a_1 b_1 ... a_G b_G'", source=source, where="line 1"
        )
    lower = np.array(bounds[0::2], dtype=np.int64)
    upper = np.array(bounds[1::2], dtype=np.int64)
    if (lower > upper).any() or lower.sum() > n or upper.sum() < n or (lower < 0).any():
        raise InputError("no partition meets these group sizes", source=source, where="line 1")
    d = np.zeros((n, n), dtype=np.float64)
    for number, line in enumerate(lines[1:], start=2):
        parts = line.split()
        if not parts:
            continue
        try:
            i, j, value = int(parts[0]), int(parts[1]), float(parts[2])
        except (IndexError, ValueError):
            raise InputError(
                "expected 'i j d_ij'", source=source, where=f"line {number}", value=line.strip()
            ) from None
        if not (0 <= i < n and 0 <= j < n) or i == j:
            raise InputError(
                "element index out of range",
                source=source,
                where=f"line {number}",
                value=line.strip(),
            )
        d[i, j] = d[j, i] = value
    name = Path(path.name.removesuffix(".gz")).stem  # RanReal_n480_ss_01.txt.gz: RanReal_n480_ss_01
    return MdgpInstance(name=name, d=d, lower=lower, upper=upper)


def mdgp_value(d: np.ndarray, assign: np.ndarray, groups: int) -> float:
    """Sum over groups of the pairwise distances inside each group."""
    total = 0.0
    for g in range(groups):
        members = np.flatnonzero(assign == g)
        total += float(d[np.ix_(members, members)].sum()) / 2
    return total
