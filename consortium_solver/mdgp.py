"""Research mode: the maximally diverse grouping problem (MDGP), MDGPLIB format.

Partition n elements into G groups, group g holding between a_g and b_g elements, maximising the sum
of the distances d_ij over the pairs inside each group (Gallego, Laguna, Martí, Duarte, JORS 64
(2013); instances from MDGPLIB).

The engine is an iterated tabu search in the line of the literature's exchange searches (Lai & Hao
2016, iterated maxima search; Yang et al. 2022, three-phase search): a table ``D[i, g]`` of each
element's summed distance to each group makes every move and swap an O(1) delta; each iteration
scores the whole move and swap neighbourhood at once with numpy, takes the best move that is not
tabu (or that beats the best known), and after a stagnation period perturbs the best solution by
random swaps. Written from the papers' descriptions; no code of theirs is used.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from consortium_solver.domain import Consortium, Result, Status
from consortium_solver.errors import InputError


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
    """Read ``n G type a_1 b_1 … a_G b_G`` then ``i j d_ij`` lines (0-based, i < j).

    Raises:
        InputError: a malformed header or line, an index out of range, or impossible bounds.
    """
    path = Path(path)
    source = str(path)
    if not path.is_file():
        raise InputError("no such file", source=source)
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
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
    return MdgpInstance(name=path.stem, d=d, lower=lower, upper=upper)


def mdgp_value(d: np.ndarray, assign: np.ndarray, groups: int) -> float:
    """Sum over groups of the pairwise distances inside each group."""
    total = 0.0
    for g in range(groups):
        members = np.flatnonzero(assign == g)
        total += float(d[np.ix_(members, members)].sum()) / 2
    return total


PROFILES = ("extreme", "balanced", "random", "random")


def _sizes(inst: MdgpInstance, rng: np.random.Generator, profile: str) -> np.ndarray:
    """Group sizes within the bounds summing to n: every group at its lower bound, then the rest
    ``extreme`` — whole groups filled to their upper bound in random order (Σ C(s_g, 2) is convex in
    the sizes, so more pairs), ``balanced`` — one at a time to the smallest group, or ``random`` —
    one at a time to a random group with room."""
    sizes = inst.lower.copy()
    rest = inst.n - int(sizes.sum())
    if profile == "extreme":
        for g in rng.permutation(inst.groups):
            add = min(rest, int(inst.upper[g] - sizes[g]))
            sizes[g] += add
            rest -= add
        return sizes
    while rest > 0:
        room = np.flatnonzero(sizes < inst.upper)
        if profile == "balanced":
            smallest = room[sizes[room] == sizes[room].min()]
            g = int(rng.choice(smallest))
        else:
            g = int(rng.choice(room))
        sizes[g] += 1
        rest -= 1
    return sizes


def _initial(inst: MdgpInstance, rng: np.random.Generator, profile: str = "extreme") -> np.ndarray:
    """A random assignment meeting the size bounds, with sizes of the given profile."""
    sizes = _sizes(inst, rng, profile)
    order = rng.permutation(inst.n)
    return np.repeat(np.arange(inst.groups), sizes)[np.argsort(order)]


class TabuSearch:
    """Iterated tabu search over moves and swaps with an element-to-group distance table."""

    def __init__(self, inst: MdgpInstance, seed: int) -> None:
        self.inst = inst
        self.rng = np.random.default_rng(seed)
        self.d = inst.d
        self.n, self.g = inst.n, inst.groups
        n = self.n
        # Tuned on four n=120 instances at 5 s (benchmarks/README.md): short tenures, long patience,
        # light perturbations.
        self.tenure = (max(2, n // 60), max(10, n // 12))
        self.stagnation = max(2000, 16 * n)
        self.strength = max(3, n // 40)

    def table(self, assign: np.ndarray) -> np.ndarray:
        onehot = np.zeros((self.n, self.g))
        onehot[np.arange(self.n), assign] = 1.0
        return self.d @ onehot  # D[i, g] = sum of d_ij over j in g

    def run(
        self,
        deadline: float,
        max_iterations: int | None = None,
        *,
        start: np.ndarray | None = None,
        profile: str = "extreme",
    ) -> tuple[np.ndarray, float]:
        """The best assignment found until the deadline, from ``start`` or from a random one with
        sizes of ``profile``."""
        inst, d, n, g = self.inst, self.d, self.n, self.g
        assign = start.copy() if start is not None else _initial(inst, self.rng, profile)
        table = self.table(assign)
        sizes = np.bincount(assign, minlength=g)
        value = mdgp_value(d, assign, g)
        best_assign, best_value = assign.copy(), value
        tabu_until = np.zeros(n, dtype=np.int64)
        tenure_low, tenure_high = self.tenure
        stagnation_limit = self.stagnation
        since_best = 0
        iteration = 0
        idx = np.arange(n)
        same = np.empty((n, n), dtype=bool)
        while True:
            iteration += 1
            if max_iterations is not None and iteration > max_iterations:
                break
            if iteration % 32 == 0 and time.perf_counter() >= deadline:
                break
            own = table[idx, assign]
            # Moves: element i to group h.
            move_gain = table - own[:, None]
            can_leave = sizes[assign] > inst.lower[assign]
            can_enter = sizes < inst.upper
            move_gain[~can_leave, :] = -np.inf
            move_gain[:, ~can_enter] = -np.inf
            move_gain[idx, assign] = -np.inf
            # Swaps: i and j trade groups.
            cross = table[:, assign]  # cross[i, j] = D[i, group of j]
            swap_gain = cross - own[:, None] + cross.T - own[None, :] - 2 * d
            np.equal(assign[:, None], assign[None, :], out=same)
            swap_gain[same] = -np.inf
            tabu = tabu_until > iteration
            if tabu.any():
                move_gain[tabu, :] = np.where(
                    value + move_gain[tabu, :] > best_value + 1e-9, move_gain[tabu, :], -np.inf
                )
                blocked = tabu[:, None] | tabu[None, :]
                swap_gain = np.where(
                    blocked & (value + swap_gain <= best_value + 1e-9), -np.inf, swap_gain
                )
            m = int(np.argmax(move_gain))
            s = int(np.argmax(swap_gain))
            mi, mh = divmod(m, g)
            si, sj = divmod(s, n)
            gain_move = move_gain[mi, mh]
            gain_swap = swap_gain[si, sj]
            if not np.isfinite(gain_move) and not np.isfinite(gain_swap):
                tabu_until[:] = 0
                continue
            if gain_move >= gain_swap:
                old = assign[mi]
                table[:, old] -= d[:, mi]
                table[:, mh] += d[:, mi]
                sizes[old] -= 1
                sizes[mh] += 1
                assign[mi] = mh
                value += gain_move
                tabu_until[mi] = iteration + self.rng.integers(tenure_low, tenure_high + 1)
            else:
                gi, gj = assign[si], assign[sj]
                table[:, gi] += d[:, sj] - d[:, si]
                table[:, gj] += d[:, si] - d[:, sj]
                assign[si], assign[sj] = gj, gi
                value += gain_swap
                tabu_until[si] = iteration + self.rng.integers(tenure_low, tenure_high + 1)
                tabu_until[sj] = iteration + self.rng.integers(tenure_low, tenure_high + 1)
            if value > best_value + 1e-9:
                best_value, best_assign = value, assign.copy()
                since_best = 0
            else:
                since_best += 1
            if since_best >= stagnation_limit:
                # Perturb the best solution with random swaps between groups, then search again.
                assign = best_assign.copy()
                for _ in range(self.strength):
                    i, j = self.rng.integers(0, n, size=2)
                    if assign[i] != assign[j]:
                        assign[i], assign[j] = assign[j], assign[i]
                table = self.table(assign)
                sizes = np.bincount(assign, minlength=g)
                value = mdgp_value(d, assign, g)
                tabu_until[:] = 0
                since_best = 0
        return best_assign, mdgp_value(d, best_assign, g)


@dataclass
class _Arm:
    search: TabuSearch
    profile: str
    best: np.ndarray | None = None
    value: float = float("-inf")


def _race(
    inst: MdgpInstance, seed: int, start: float, time_limit: float
) -> tuple[np.ndarray, float]:
    """Group sizes in a range: the best sizes differ from instance to instance (the extreme profile
    wins on some MDGPLIB instances, balanced or random sizes on others), and the tabu search
    seldom changes the sizes it starts from. So several starting profiles race by successive
    halving: four searches get a tenth of the time each, the better two a fifth more each, the
    best one the rest; each round resumes a search from its best assignment."""
    arms = [_Arm(TabuSearch(inst, seed * 101 + k), p) for k, p in enumerate(PROFILES)]
    at = start
    for share, keep in ((0.1, 2), (0.2, 1), (None, 1)):
        for arm in arms:
            stop = start + time_limit if share is None else at + share * time_limit
            best, value = arm.search.run(stop, start=arm.best, profile=arm.profile)
            if value > arm.value:
                arm.best, arm.value = best, value
            at = stop
        arms = sorted(arms, key=lambda a: -a.value)[:keep]
    assert arms[0].best is not None
    return arms[0].best, arms[0].value


def solve_mdgp(
    inst: MdgpInstance, *, time_limit: float, seed: int = 0, max_iterations: int | None = None
) -> Result:
    """Best grouping found within the time limit (members are element numbers as strings)."""
    start = time.perf_counter()
    if (inst.lower == inst.upper).all() or max_iterations is not None:
        assign, value = TabuSearch(inst, seed).run(start + time_limit, max_iterations)
    else:
        assign, value = _race(inst, seed, start, time_limit)
    sizes = np.bincount(assign, minlength=inst.groups)
    if (sizes < inst.lower).any() or (sizes > inst.upper).any():  # a bug, never a user error
        raise RuntimeError("the MDGP search broke a group size bound")
    groups = []
    for g in range(inst.groups):
        members = np.flatnonzero(assign == g)
        score = float(inst.d[np.ix_(members, members)].sum()) / 2
        groups.append(
            Consortium(
                members=tuple(str(int(i)) for i in members),
                score=round(score, 6),
                breakdown={"diversity": round(score, 6)},
            )
        )
    return Result(
        call="MDGP",
        pool=inst.name,
        status=Status.FEASIBLE,
        objective=round(value, 6),
        bound=None,
        wall_time_s=round(time.perf_counter() - start, 3),
        seed=seed,
        workers=1,
        consortia=tuple(groups),
        unassigned=(),
    )
