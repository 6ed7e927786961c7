"""One ``term_<name>`` per objective term, from the definitions (README, "Score"): member pairs, not
the encoder's sector-level reformulation, and no bitmasks."""

from __future__ import annotations

import math
from collections.abc import Sequence

from consortium_solver.domain import DEVELOPMENT, Organisation, Term, TermScore
from consortium_solver.rules import Objective

Members = Sequence[Organisation]


def term_sector_links(members: Members, links: dict[frozenset[str], float]) -> float:
    """Sum of link weights over unordered pairs of distinct sectors brought by two different members."""
    brought: set[tuple[str, str]] = set()
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            for s in a.sectors:
                for t in b.sectors:
                    if s != t:
                        brought.add((s, t) if s < t else (t, s))
    # fsum is exactly rounded: the order of the pairs does not change the total.
    return math.fsum(links.get(frozenset(pair), 0.0) for pair in brought)


def term_needs_met(members: Members) -> float:
    """Number of (member, need) pairs where some other member offers the competence."""
    count = 0
    for i, org in enumerate(members):
        offered = {c for j, other in enumerate(members) if j != i for c in other.offers}
        count += sum(1 for need in org.needs if need in offered)
    return float(count)


def term_countries(members: Members) -> float:
    """Number of distinct countries."""
    return float(len({org.country for org in members}))


def term_development_mix(members: Members) -> float:
    """Number of distinct categories among less developed, transition and more developed."""
    return float(len({org.region_category for org in members} & set(DEVELOPMENT)))


def term_maturity_mix(members: Members) -> float:
    """Number of distinct maturity levels (gold, silver, bronze, none)."""
    return float(len({org.maturity for org in members}))


def term_size(members: Members) -> float:
    """Number of members."""
    return float(len(members))


def score_terms(
    members: Members, objective: Objective, links: dict[frozenset[str], float]
) -> dict[Term, TermScore]:
    """Every term's value, weight and points for a set of members."""
    values = {
        Term.SECTOR_LINKS: term_sector_links(members, links),
        Term.NEEDS_MET: term_needs_met(members),
        Term.COUNTRIES: term_countries(members),
        Term.DEVELOPMENT_MIX: term_development_mix(members),
        Term.MATURITY_MIX: term_maturity_mix(members),
        Term.SIZE: term_size(members),
    }
    out = {}
    for term, value in values.items():
        weight = objective.weight(term)
        out[term] = TermScore(value=value, weight=weight, points=value * weight)
    return out


def total(terms: dict[Term, TermScore]) -> float:
    """The score: the sum of the terms' points."""
    return math.fsum(ts.points for ts in terms.values())
