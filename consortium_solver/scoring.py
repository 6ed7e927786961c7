"""The objective computed fast, for the searches: sets of candidates scored with bitmasks over sectors
and competences (:class:`Scorer`), and every one-member extension of a set at once with numpy
(:class:`VectorScorer`).

Same definitions as the validator's terms (README, "Score"); the searches' answers are judged by the
validator all the same. Shared by the builder's primal heuristic and the grouping search.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from consortium_solver.domain import DEVELOPMENT, Organisation, RegionCategory, Term
from consortium_solver.rules import Objective


@dataclass(frozen=True)
class _Member:
    index: int
    sectors: int
    offers: int
    needs: int
    country: str
    development: RegionCategory | None
    maturity: str


def _mask(items: Sequence[str], bit: Mapping[str, int]) -> int:
    mask = 0
    for item in items:
        mask |= 1 << bit[item]
    return mask


def _pair_sums(n: int, link: list[list[float]]) -> list[float]:
    """pair_sum[mask] = Σ link[s][t] over pairs s < t of the mask's bits (2^n table), built bit by
    bit: the masks whose highest bit is b are those below 2^b plus b, each gaining b's links to its
    bits (numpy: 20 sectors in a tenth of a second, where a Python loop took one second)."""
    table = np.zeros(1, dtype=np.float64)
    for b in range(n):
        gain = np.zeros(1, dtype=np.float64)  # gain[m]: Σ link[b][t] over the bits t of m < 2^b
        for t in range(b):
            gain = np.concatenate((gain, gain + link[b][t]))
        table = np.concatenate((table, table + gain))
    return list(table.tolist())


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
                sectors=_mask(o.sectors, s_bit),
                offers=_mask(o.offers, t_bit),
                needs=_mask(o.needs, t_bit),
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
        self.country, _ = codes_of([m.country for m in ms])
        self.development, dev_index = codes_of(
            [m.development.value if m.development else "" for m in ms]
        )
        self.no_development = dev_index.get("", -1)
        self.maturity, _ = codes_of([m.maturity for m in ms])
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


def codes_of(values: list[str]) -> tuple[np.ndarray, dict[str, int]]:
    """Each value as a small integer (in order of first appearance), and the values' codes."""
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
