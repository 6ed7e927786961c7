"""One function per objective term (README, "Score"), and the integer scaling of the weights.

Each ``term_<name>`` returns the term as a CP-SAT expression whose value, in every solution the solver
may prefer, equals the validator's ``term_<name>``: presence variables are linked in one direction
only (they may be 1 only if a member has the value), which is exact at any optimum because all
weights but size's are rewards (the call model refuses negative ones).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass

from ortools.sat.python.cp_model import LinearExpr, LinearExprT

from consortium_solver.domain import DEVELOPMENT, Organisation, Term
from consortium_solver.encode.model import BoolVar, SelectionModel
from consortium_solver.rules import Objective

MAX_DECIMALS = 6


def term_sector_links(m: SelectionModel, coefficient: Mapping[frozenset[str], int]) -> LinearExpr:
    """Σ coefficient[{s,t}] · w_st, where w_st may be 1 only if s and t are brought by two members.

    With ``n_s`` the number of members having sector s, the pair is brought by two *different*
    members exactly when cover_s, cover_t and ``n_s + n_t - n_st >= 2`` (``n_st``: members having
    both) — the pair variable of the definition, at sector level, with no member-pair variables.
    """
    sectors = list(m.by_value("sectors"))
    both: dict[frozenset[str], list[object]] = {}
    for org in m.orgs:
        own = org.sectors
        for i, s in enumerate(own):
            for t in own[i + 1 :]:
                both.setdefault(frozenset((s, t)), []).append(m.x[org.id])
    parts: list[LinearExprT] = []
    pair_vars: list[BoolVar] = []
    for i, s in enumerate(sectors):
        for t in sectors[i + 1 :]:
            pair = frozenset((s, t))
            coef = coefficient.get(pair, 0)
            if coef <= 0:
                continue
            cover_s, cover_t = m.presence("sectors", s), m.presence("sectors", t)
            if cover_s is None or cover_t is None:
                continue
            w = m.model.new_bool_var(f"w[{s}|{t}]")
            m.derive(w, functools.partial(_brought, s=s, t=t))
            m.model.add(w <= cover_s)
            m.model.add(w <= cover_t)
            held_by_both = LinearExpr.sum(both.get(pair, []))
            m.model.add(m.count("sectors", s) + m.count("sectors", t) - held_by_both >= 2 * w)
            parts.append(coef * w)
            pair_vars.append(w)
    if pair_vars:
        _pair_count_cuts(m, pair_vars)
    return LinearExpr.sum(parts)


def _brought(members: list[Organisation], s: str, t: str) -> bool:
    """Whether two different members bring sectors s and t (the validator's definition)."""
    return any(s in a.sectors and t in b.sectors for a in members for b in members if a is not b)


def _pair_count_cuts(m: SelectionModel, pair_vars: list[BoolVar]) -> None:
    """Redundant cuts bounding the number of linked pairs; they make the LP see the counting.

    With c covered sectors, K members and ``slots = Σ_i |S_i|`` over the members, a covered pair
    fails to link only when one member alone has both sectors; if u_i sectors are unique to member
    i, ``C(u_i, 2)`` pairs are lost and ``C(u, 2) >= u - 1``. Sectors held by two or more members
    take two slots, so ``Σ u_i >= 2c - slots``, hence

        pairs <= C(c, 2) - 2c + slots + K.

    ``h(c) = C(c, 2) - 2c`` is convex with h(0) = 0, so on [0, S] it lies below its secant
    ``h(S)/S · c`` (the LP cut); the exact h(c) goes in through an element constraint, which CP
    propagation uses once the number of covered sectors is bounded.
    """
    covers = m.presences("sectors")
    n_sectors = len(covers)
    if n_sectors < 2:
        return
    pairs = LinearExpr.sum(pair_vars)
    slots = LinearExpr.weighted_sum([m.x[o.id] for o in m.orgs], [len(o.sectors) for o in m.orgs])
    h = [c * (c - 1) // 2 - 2 * c for c in range(n_sectors + 1)]
    covered = m.model.new_int_var(0, n_sectors, "covered_sectors")
    m.model.add(covered == LinearExpr.sum(covers))
    m.derive(covered, _covered)
    # Secant of the convex h, scaled by S to stay in integers: S·pairs <= h(S)·c + S·(slots + K).
    m.model.add(n_sectors * pairs <= h[-1] * covered + n_sectors * (slots + m.size()))
    h_of_c = m.model.new_int_var(min(h), max(h), "h_covered")
    m.model.add_element(covered, h, h_of_c)
    m.derive(h_of_c, lambda ms: h[_covered(ms)])
    m.model.add(pairs <= h_of_c + slots + m.size())
    pairs_max = m.model.new_int_var(0, n_sectors * (n_sectors - 1) // 2, "pairs_max")
    m.model.add_element(covered, [c * (c - 1) // 2 for c in range(n_sectors + 1)], pairs_max)
    m.model.add(pairs <= pairs_max)
    m.derive(pairs_max, lambda ms: math.comb(_covered(ms), 2))


def _covered(members: list[Organisation]) -> int:
    return len({s for o in members for s in o.sectors})


def term_needs_met(m: SelectionModel) -> LinearExpr:
    """Number of (member, need) pairs where another member offers the competence.

    Aggregated per competence: ``met_n <= needers_n`` and ``met_n <= (K-1) · offered_n`` for members
    that need but do not offer n (an offerer then takes one of the K places); a member that both
    offers and needs n gets its own Boolean, met only by *another* offerer.
    """
    offered = m.by_value("offers")
    parts: list[LinearExprT] = []
    for competence in m.by_value("needs"):
        offered_by = offered.get(competence)
        if not offered_by:
            continue
        plain: list[Organisation] = []
        selfish: list[Organisation] = []
        for org in m.orgs:
            if competence in org.needs:
                (selfish if competence in org.offers else plain).append(org)
        if plain and m.max_size >= 2:
            o = m.presence("offers", competence)
            assert o is not None  # offered_by is not empty
            upper = min(len(plain), m.max_size - 1)
            met = m.model.new_int_var(0, upper, f"met[{competence}]")
            m.model.add(met <= LinearExpr.sum([m.x[org.id] for org in plain]))
            m.model.add(met <= upper * o)
            ids = frozenset(org.id for org in plain)
            m.derive(met, functools.partial(_met_plain, competence=competence, needers=ids))
            parts.append(met)
        for org in selfish:
            others = [m.x[j.id] for j in m.orgs if j.id != org.id and competence in j.offers]
            if not others:
                continue
            met_i = m.model.new_bool_var(f"met[{org.id}:{competence}]")
            m.model.add(met_i <= m.x[org.id])
            m.model.add(met_i <= LinearExpr.sum(others))
            m.derive(met_i, functools.partial(_met_self, competence=competence, me=org.id))
            parts.append(met_i)
    return LinearExpr.sum(parts)


def _met_plain(members: list[Organisation], competence: str, needers: frozenset[str]) -> int:
    if not any(competence in o.offers for o in members):
        return 0
    return sum(o.id in needers for o in members)


def _met_self(members: list[Organisation], competence: str, me: str) -> int:
    inside = any(o.id == me for o in members)
    return int(inside and any(o.id != me and competence in o.offers for o in members))


def term_countries(m: SelectionModel) -> LinearExpr:
    """Number of distinct countries."""
    return LinearExpr.sum(m.presences("country"))


def term_development_mix(m: SelectionModel) -> LinearExpr:
    """Number of distinct categories among less developed, transition, more developed."""
    return LinearExpr.sum(m.presences("region_category", [c.value for c in DEVELOPMENT]))


def term_maturity_mix(m: SelectionModel) -> LinearExpr:
    """Number of distinct maturity levels."""
    return LinearExpr.sum(m.presences("maturity"))


def term_size(m: SelectionModel) -> LinearExpr:
    """Number of members."""
    return m.size()


@dataclass(frozen=True)
class ScaledObjective:
    """The objective as integers: ``expr / scale`` is the score (exactly, when ``exact``)."""

    expr: LinearExprT
    scale: int
    exact: bool


def integer_scale(values: list[float]) -> tuple[int, bool]:
    """The smallest power of ten (up to 10^6) turning every value into an integer."""
    for decimals in range(MAX_DECIMALS + 1):
        scale = 10**decimals
        if all(math.isclose(v * scale, round(v * scale), abs_tol=1e-9) for v in values):
            return scale, True
    return 10**MAX_DECIMALS, False


def encode_objective(
    m: SelectionModel, objective: Objective, links: Mapping[frozenset[str], float]
) -> ScaledObjective:
    """The weighted sum of the terms with integer coefficients."""
    w_links = objective.weight(Term.SECTOR_LINKS)
    raw = [objective.weight(t) for t in Term] + [w_links * v for v in links.values()]
    scale, exact = integer_scale(raw)
    parts: list[LinearExprT] = []
    if w_links:
        coefficient = {pair: round(w_links * v * scale) for pair, v in links.items()}
        parts.append(term_sector_links(m, coefficient))
    simple = {
        Term.NEEDS_MET: term_needs_met,
        Term.COUNTRIES: term_countries,
        Term.DEVELOPMENT_MIX: term_development_mix,
        Term.MATURITY_MIX: term_maturity_mix,
        Term.SIZE: term_size,
    }
    for term, fn in simple.items():
        weight = round(objective.weight(term) * scale)
        if weight:
            parts.append(weight * fn(m))
    return ScaledObjective(expr=LinearExpr.sum(parts), scale=scale, exact=exact)
