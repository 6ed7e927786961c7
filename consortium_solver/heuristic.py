"""A fast primal heuristic for the builder: greedy construction, then swap/add/drop local search.

CP-SAT proves our bounds quickly (the pair-count cuts) but, on pools of thousands, finds the best
consortium slowly; this search finds it (or one close to it) in well under a second and hands it to
CP-SAT as a hint. It scores with bitmasks over sectors and competences, the same definitions as the
validator (DESIGN §4), and accepts only consortia that every rule accepts (the validator's checkers).
Its output is never reported without going through CP-SAT and the validator.
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from consortium_solver.calls import Objective
from consortium_solver.check import check_rule
from consortium_solver.domain import Organisation, RegionCategory, Term

# Perturbations without a better consortium after which the timed search stops early.
STALE_ROUNDS = 40

DEVELOPMENT = {
    RegionCategory.LESS_DEVELOPED,
    RegionCategory.TRANSITION,
    RegionCategory.MORE_DEVELOPED,
}


@dataclass(frozen=True)
class _Member:
    index: int
    sectors: int
    offers: int
    needs: int
    country: str
    development: RegionCategory | None
    maturity: str


def _pair_sums(n: int, link: list[list[float]]) -> list[float]:
    """pair_sum[mask] = Σ link[s][t] over pairs s < t of the mask's bits (2^n table)."""
    table = [0.0] * (1 << n)
    for mask in range(1, 1 << n):
        low = (mask & -mask).bit_length() - 1
        rest = mask & (mask - 1)
        extra = 0.0
        r = rest
        while r:
            t = (r & -r).bit_length() - 1
            extra += link[low][t]
            r &= r - 1
        table[mask] = table[rest] + extra
    return table


class Scorer:
    """Scores sets of candidates (by index) exactly as the validator does, with bitmasks."""

    def __init__(
        self,
        candidates: Sequence[Organisation],
        objective: Objective,
        links: Mapping[frozenset[str], float],
    ) -> None:
        sectors = sorted({s for o in candidates for s in o.sectors})
        tags = sorted({t for o in candidates for t in (*o.offers, *o.needs)})
        s_bit = {s: i for i, s in enumerate(sectors)}
        t_bit = {t: i for i, t in enumerate(tags)}
        self.members = [
            _Member(
                index=i,
                sectors=sum(1 << s_bit[s] for s in o.sectors),
                offers=sum(1 << t_bit[t] for t in o.offers),
                needs=sum(1 << t_bit[t] for t in o.needs),
                country=o.country,
                development=o.region_category if o.region_category in DEVELOPMENT else None,
                maturity=o.maturity.value,
            )
            for i, o in enumerate(candidates)
        ]
        link = [[links.get(frozenset((a, b)), 0.0) for b in sectors] for a in sectors]
        self.pair_sum = _pair_sums(len(sectors), link) if len(sectors) <= 20 else None
        self.link = link
        self.w = {t: objective.weight(t) for t in Term}

    def _links(self, mask: int) -> float:
        if self.pair_sum is not None:
            return self.pair_sum[mask]
        bits = [i for i in range(mask.bit_length()) if mask >> i & 1]
        return sum(self.link[a][b] for k, a in enumerate(bits) for b in bits[k + 1 :])

    def score(self, chosen: Sequence[int]) -> float:
        ms = [self.members[i] for i in chosen]
        union = 0
        for m in ms:
            union |= m.sectors
        links = self._links(union)
        needs = 0
        for k, m in enumerate(ms):
            others_sectors = 0
            others_offers = 0
            for j, o in enumerate(ms):
                if j != k:
                    others_sectors |= o.sectors
                    others_offers |= o.offers
            unique = m.sectors & ~others_sectors
            if unique & (unique - 1):  # two or more sectors only this member brings
                links -= self._links(unique)
            needs += (m.needs & others_offers).bit_count()
        w = self.w
        return (
            w[Term.SECTOR_LINKS] * links
            + w[Term.NEEDS_MET] * needs
            + w[Term.COUNTRIES] * len({m.country for m in ms})
            + w[Term.DEVELOPMENT_MIX] * len({m.development for m in ms} - {None})
            + w[Term.MATURITY_MIX] * len({m.maturity for m in ms})
            + w[Term.SIZE] * len(ms)
        )


class VectorScorer:
    """Scores ``base ∪ {j}`` for every candidate j at once (numpy), from the same bitmasks."""

    def __init__(self, scorer: Scorer) -> None:
        ms = scorer.members
        self.scorer = scorer
        self.sectors = np.array([m.sectors for m in ms], dtype=np.int64)
        self.offers = np.array([m.offers for m in ms], dtype=np.int64)
        self.needs = np.array([m.needs for m in ms], dtype=np.int64)
        self.country, _ = _codes([m.country for m in ms])
        self.development, dev_index = _codes(
            [m.development.value if m.development else "" for m in ms]
        )
        self.no_development = dev_index.get("", -1)
        self.maturity, _ = _codes([m.maturity for m in ms])
        self.pair_sum = np.array(scorer.pair_sum, dtype=np.float64)
        self.w = scorer.w

    def extend(self, base: list[int]) -> np.ndarray:
        """Score of base + [j] for every j (entries for members of base are -inf)."""
        w = self.w
        s, o, nd = self.sectors, self.offers, self.needs
        union_b = 0
        offers_b = 0
        for b in base:
            union_b |= int(s[b])
            offers_b |= int(o[b])
        links = self.pair_sum[union_b | s]
        links -= self.pair_sum[s & ~union_b]  # sectors only j brings
        needs = np.bitwise_count(nd & offers_b).astype(np.float64)  # j's needs met by base
        for k, b in enumerate(base):
            others_s = 0
            others_o = 0
            for q, c in enumerate(base):
                if q != k:
                    others_s |= int(s[c])
                    others_o |= int(o[c])
            unique_b = int(s[b]) & ~others_s
            links -= self.pair_sum[unique_b & ~s]  # b's lone sectors, unless j has them too
            needs += np.bitwise_count(int(nd[b]) & (others_o | o))
        total = w[Term.SECTOR_LINKS] * links + w[Term.NEEDS_MET] * needs
        total += w[Term.COUNTRIES] * _distinct_plus(self.country, base)
        dev = _distinct_plus(self.development, base, skip=self.no_development)
        total += w[Term.DEVELOPMENT_MIX] * dev
        total += w[Term.MATURITY_MIX] * _distinct_plus(self.maturity, base)
        total += w[Term.SIZE] * (len(base) + 1)
        if base:
            total[np.array(base)] = -np.inf
        return np.asarray(total, dtype=np.float64)


def _codes(values: list[str]) -> tuple[np.ndarray, dict[str, int]]:
    index: dict[str, int] = {}
    codes = np.array([index.setdefault(v, len(index)) for v in values], dtype=np.int64)
    return codes, index


def _distinct_plus(codes: np.ndarray, base: list[int], skip: int = -1) -> np.ndarray:
    """Number of distinct codes in base ∪ {j} for every j (codes equal to ``skip`` not counted)."""
    present = {int(codes[b]) for b in base} - {skip}
    fresh = ~np.isin(codes, list(present)) if present else np.ones(len(codes), dtype=bool)
    if skip >= 0:
        fresh &= codes != skip
    return len(present) + fresh.astype(np.float64)


def local_search(
    candidates: Sequence[Organisation],
    rules: Sequence[Any],
    objective: Objective,
    links: Mapping[frozenset[str], float],
    *,
    min_size: int,
    max_size: int,
    fixed: Sequence[str] = (),
    seed: int = 0,
    time_budget: float = 0.5,
    rounds: int | None = None,
) -> list[str] | None:
    """A good consortium meeting every rule, or None if none was found within the budget.

    The budget is ``time_budget`` seconds, or exactly ``rounds`` perturbations when given (for
    repeatable runs: the same input and seed then give the same answer).

    Greedy construction from the fixed members, then iterated local search: best-improving swap,
    add and drop moves (each neighbourhood scored at once by :class:`VectorScorer`); at a local
    optimum the best consortium meeting every rule is remembered and two members are replaced at
    random before descending again.
    """
    if not candidates or max_size < 1:
        return None
    deadline = time.perf_counter() + time_budget
    rng = random.Random(seed)
    scorer = Scorer(candidates, objective, links)
    vec = VectorScorer(scorer)
    index = {o.id: i for i, o in enumerate(candidates)}
    pinned = [index[i] for i in fixed if i in index]
    if len(pinned) > max_size:
        return None
    free_pool = [i for i in range(len(candidates)) if i not in set(pinned)]

    def feasible(chosen: list[int]) -> bool:
        orgs = [candidates[i] for i in chosen]
        return all(check_rule(rule, orgs).passed for rule in rules)

    current = list(pinned)
    while len(current) < max_size:  # greedy construction
        scores = vec.extend(current)
        j = _pick(scores, rng)
        if j < 0 or (len(current) >= min_size and scores[j] <= scorer.score(current) + 1e-9):
            break
        current.append(j)

    best_set: list[int] | None = None
    best_score = float("-inf")
    done = 0
    last_gain = 0
    while True:
        current, current_score = _descend(scorer, vec, current, pinned, min_size, max_size, rng)
        if current_score > best_score + 1e-9 and feasible(current):
            best_set, best_score = list(current), current_score
            last_gain = done
        done += 1
        if rounds is not None:
            out_of_budget = done > rounds
        else:
            # Stop at the time budget, or earlier once many perturbations brought nothing.
            stale = done - last_gain >= STALE_ROUNDS
            out_of_budget = stale or time.perf_counter() >= deadline
        if out_of_budget or not free_pool:
            break
        current = list(best_set) if best_set is not None else current
        free = [k for k, i in enumerate(current) if i not in set(pinned)]
        for k in rng.sample(free, min(2, len(free))):
            j = rng.choice(free_pool)
            if j not in current:
                current[k] = j
    if best_set is None:
        return None
    return [candidates[i].id for i in best_set]


def _pick(scores: np.ndarray, rng: random.Random) -> int:
    """Index of a best score, ties broken at random (-1 if none is finite)."""
    top = float(scores.max()) if len(scores) else float("-inf")
    if not np.isfinite(top):
        return -1
    ties = np.flatnonzero(scores >= top - 1e-9)
    return int(ties[rng.randrange(len(ties))])


def _descend(
    scorer: Scorer,
    vec: VectorScorer,
    current: list[int],
    pinned: list[int],
    min_size: int,
    max_size: int,
    rng: random.Random,
) -> tuple[list[int], float]:
    """Best-improvement descent over swap, add and drop moves, to a local optimum."""
    current_score = scorer.score(current)
    while True:
        best_move: list[int] | None = None
        best = current_score + 1e-9
        movable = [k for k, i in enumerate(current) if i not in set(pinned)]
        for k in movable:
            base = current[:k] + current[k + 1 :]
            scores = vec.extend(base)
            j = _pick(scores, rng)
            if j >= 0 and scores[j] > best:
                best, best_move = float(scores[j]), [*base, j]
            if len(current) > min_size:
                dropped = scorer.score(base)
                if dropped > best:
                    best, best_move = dropped, base
        if len(current) < max_size:
            scores = vec.extend(current)
            j = _pick(scores, rng)
            if j >= 0 and scores[j] > best:
                best, best_move = float(scores[j]), [*current, j]
        if best_move is None:
            return current, current_score
        current, current_score = best_move, best
