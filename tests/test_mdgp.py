"""Research mode: MDGPLIB instances read, solved within their size bounds, small ones exactly."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consortium_solver.errors import InputError
from consortium_solver.mdgp import (
    MdgpInstance,
    mdgp_value,
    read_mdgp,
    solve_mdgp,
)
from consortium_solver.mdgp.tabu import _initial, _sizes

LIB = Path(__file__).resolve().parent.parent / "instances" / "mdgplib"
with (LIB / "best_known.csv").open(encoding="utf-8") as _f:
    BEST = {row["instance"]: row for row in csv.DictReader(_f)}
SMALL = sorted(name for name, row in BEST.items() if int(row["n"]) <= 12)


@pytest.mark.parametrize("name", SMALL)
def test_small_instances_reach_the_exact_optimum(name: str) -> None:
    """n = 10 and 12: the optimum found by exhaustive enumeration (best_known.csv)."""
    inst = read_mdgp(LIB / "instances" / f"{name}.txt")
    result = solve_mdgp(inst, time_limit=30, seed=1, max_iterations=3000)
    assert result.objective == pytest.approx(float(BEST[name]["best_known"]), abs=1e-3)
    sizes = [len(g.members) for g in result.consortia]
    assert all(lo <= s <= hi for s, lo, hi in zip(sizes, inst.lower, inst.upper, strict=True))
    members = sorted(int(m) for g in result.consortia for m in g.members)
    assert members == list(range(inst.n))
    assert sum(g.score for g in result.consortia) == pytest.approx(result.objective)


def test_value_is_the_sum_of_pair_distances() -> None:
    """The objective counts each within-group pair once."""
    d = np.array([[0, 1, 2, 3], [1, 0, 4, 5], [2, 4, 0, 6], [3, 5, 6, 0]], dtype=float)
    assert mdgp_value(d, np.array([0, 0, 1, 1]), 2) == 1 + 6


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "expected a header"),
        ("4 2 ss 2\n", "expected a header"),
        ("4 2 ss 3 3 3 3\n0 1 1\n", "no partition meets these group sizes"),
        ("4 2 ss 2 2 2 2\n0 9 1.0\n", "line 2, value '0 9 1.0': element index out of range"),
        ("4 2 ss 2 2 2 2\n0 1 x\n", "line 2, value '0 1 x': expected 'i j d_ij'"),
    ],
)
def test_bad_instances(tmp_path: Path, text: str, fragment: str) -> None:
    """Malformed files are refused with the line and value named."""
    path = tmp_path / "bad.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_mdgp(path)
    assert fragment in str(info.value)


DS_SMALL = [name for name in SMALL if "_ds_" in name]


@pytest.mark.parametrize("name", DS_SMALL)
def test_size_ranges_race_to_the_exact_optimum(name: str) -> None:
    """The race of starting size profiles (ds instances, time-limited runs) also ends at the
    exhaustive optimum on n = 10 and 12; the seconds are a ceiling, the optimum comes at once."""
    inst = read_mdgp(LIB / "instances" / f"{name}.txt")
    result = solve_mdgp(inst, time_limit=1, seed=2)
    assert result.objective == pytest.approx(float(BEST[name]["best_known"]), abs=1e-3)
    sizes = [len(g.members) for g in result.consortia]
    assert all(lo <= s <= hi for s, lo, hi in zip(sizes, inst.lower, inst.upper, strict=True))


@settings(max_examples=60)
@given(
    bounds=st.lists(
        st.tuples(st.integers(0, 6), st.integers(0, 6)).map(sorted), min_size=1, max_size=6
    ),
    data=st.data(),
)
def test_size_profiles_fit_the_bounds(bounds: list[list[int]], data: st.DataObject) -> None:
    """Every starting profile gives sizes within the bounds that add up to n."""
    lower = np.array([lo for lo, _ in bounds])
    upper = np.array([hi for _, hi in bounds])
    n = data.draw(st.integers(int(lower.sum()), int(upper.sum())))
    if n < 2:
        return
    inst = MdgpInstance("drawn", np.zeros((n, n)), lower, upper)
    rng = np.random.default_rng(data.draw(st.integers(0, 1000)))
    for profile in ("extreme", "balanced", "random"):
        sizes = _sizes(inst, rng, profile)
        assert sizes.sum() == n and (sizes >= lower).all() and (sizes <= upper).all()
        drawn = np.bincount(_initial(inst, rng, profile), minlength=len(bounds))
        assert drawn.sum() == n and (drawn >= lower).all() and (drawn <= upper).all()
    # balanced: a group given more than its lower bound is at most one above any group with room
    balanced = _sizes(inst, rng, "balanced")
    for g in np.flatnonzero(balanced > lower):
        for h in np.flatnonzero(balanced < upper):
            assert balanced[g] - balanced[h] <= 1
