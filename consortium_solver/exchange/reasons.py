"""Why each visitor a plan leaves out is left out, in words: the scheme's own rules first (a type
that may only host, a country outside the scheme, a stay too short or too long), then what the
programme leaves it (no host abroad, every host full, the partnership's budget spent, its hosts'
at-once limit in its period), and last a search cut short by its time limit.

A coordinator answers to the person left out; every visitor not in the plan gets one reason, the
first that holds in this order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from consortium_solver.core.geo import great_circle_km
from consortium_solver.core.money import euros, to_cents
from consortium_solver.domain.exchanges import Exchange, ExchangePool, Participant
from consortium_solver.domain.results import Unplaced
from consortium_solver.rules.scheme import Scheme
from consortium_solver.validate.exchanges import lump_cents


def ineligible_visitor(scheme: Scheme, p: Participant) -> str | None:
    """Why the scheme never lets this participant visit, or None when it may."""
    if p.participant_type not in scheme.visitor_types:
        return f"a {p.participant_type.words} may host but not visit under {scheme.id}"
    if p.country not in scheme.countries_allowed():
        return f"{p.country} is not a country of the scheme ({scheme.countries})"
    if not scheme.min_working_days <= p.working_days <= scheme.max_working_days:
        return (
            f"a stay of {p.working_days} working days: the scheme takes"
            f" {scheme.min_working_days} to {scheme.max_working_days}"
        )
    return None


def unplaced_reasons(
    pool: ExchangePool,
    scheme: Scheme,
    exchanges: Sequence[Exchange],
    exclude: Sequence[tuple[str, str]] = (),
) -> tuple[Unplaced, ...]:
    """Every would-be visitor (role visitor or both) the plan leaves out, with its reason."""
    placed = {e.visitor for e in exchanges}
    hosted = Counter(e.host for e in exchanges)
    spent = Counter[str]()
    for e in exchanges:
        spent[e.partnership] += to_cents(e.lump_sum)
    in_period = Counter(
        (e.host, pool.by_id[e.visitor].period) for e in exchanges if pool.by_id[e.visitor].period
    )
    hosts = [
        h
        for h in pool.participants
        if h.hosts
        and h.participant_type in scheme.host_types
        and h.country in scheme.countries_allowed()
    ]
    out = []
    for p in pool.participants:
        if not p.visits or p.id in placed:
            continue
        reason = ineligible_visitor(scheme, p)
        if reason is None:
            abroad = [
                h
                for h in hosts
                if h.country != p.country and h.id != p.id and (p.id, h.id) not in exclude
            ]
            reason = _left(pool, scheme, p, abroad, hosted, spent, in_period)
        out.append(Unplaced(id=p.id, reason=reason))
    return tuple(out)


def _left(
    pool: ExchangePool,
    scheme: Scheme,
    p: Participant,
    abroad: list[Participant],
    hosted: Counter[str],
    spent: Counter[str],
    in_period: Counter[tuple[str, str | None]],
) -> str:
    """Why an eligible visitor is left out of this plan."""
    if not [h for h in abroad if h.capacity > 0]:
        return f"no host in another country of the scheme takes visitors (it is in {p.country})"
    free = [h for h in abroad if hosted[h.id] < h.capacity]
    if not free:
        return (
            f"every host that could take it is full ({len(abroad)} hosts abroad, all at capacity)"
        )
    open_ = [
        h
        for h in free
        if not (p.period and h.at_once is not None and in_period[(h.id, p.period)] >= h.at_once)
    ]
    if not open_:
        return f"its hosts with room take no more visitors at once in its period ({p.period})"
    budget = pool.partnership_by_id[p.partnership].budget
    if budget is not None:
        left = to_cents(budget) - spent[p.partnership]
        cheapest = min(
            lump_cents(scheme, h, p.working_days, great_circle_km(*p.point, *h.point))
            for h in open_
        )
        if left < cheapest:
            return (
                f"the budget of {p.partnership} is spent: EUR {euros(left):,.2f} left, its"
                f" cheapest stay costs EUR {euros(cheapest):,.2f}"
            )
    return (
        "not placed in the time given: a host and the budget remain (a longer --time-limit may"
        " place it)"
    )
