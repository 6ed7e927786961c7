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

import numpy as np

from consortium_solver.core.geo import great_circle_km
from consortium_solver.core.money import euros, to_cents
from consortium_solver.domain.dates import first_start
from consortium_solver.domain.exchanges import Exchange, ExchangePool, Participant, virtual_pair
from consortium_solver.domain.results import Unplaced
from consortium_solver.exchange.candidates import stays
from consortium_solver.rules.scheme import Scheme
from consortium_solver.validate.exchanges import host_problems


def ineligible_visitor(scheme: Scheme, p: Participant) -> str | None:
    """Why the scheme never lets this participant visit, or None when it may."""
    if p.participant_type not in scheme.visitor_types:
        return f"a {p.participant_type.words} may host but not visit under {scheme.id}"
    if p.participant_type in scheme.member_types and p.cluster_member is False:
        kind = p.participant_type.words
        article = "an" if kind[0] in "AEFHILMNORSX" else "a"  # "an SME", "a scaling-up …"
        return (
            f"{article} {kind} visits only as a member of a cluster taking part, and it is not"
            " one (it may host)"
        )
    if p.mode == "virtual" and scheme.virtual_lump_sum is None:
        return f"it takes part only virtually, and {scheme.id} offers no virtual exchanges"
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
    visited: Sequence[str] = (),
    max_halved: float | None = None,
) -> tuple[Unplaced, ...]:
    """Every would-be visitor (role visitor or both) the plan leaves out, with its reason
    (``visited``: who visited in earlier programmes)."""
    earlier = set(visited)
    placed = {e.visitor for e in exchanges}
    spent = Counter[str]()
    for e in exchanges:
        spent[e.partnership] += to_cents(e.lump_sum)
    hosts = _Hosts(pool, scheme, exchanges)
    refused = set(exclude)
    out = []
    for p in pool.participants:
        if not p.visits or p.id in placed:
            continue
        reason = ineligible_visitor(scheme, p)
        if reason is None and p.id in earlier:
            reason = "visited in an earlier programme (--history): a participant visits once"
        if reason is None:
            reason = _left(pool, scheme, p, hosts, spent, refused, max_halved)
        out.append(Unplaced(id=p.id, reason=reason))
    return tuple(out)


class _Hosts:
    """The hosts the scheme admits, as arrays: where they are, their countries, ceilings (cents),
    capacities and visits taken, and the visitors each takes at once in a period."""

    def __init__(self, pool: ExchangePool, scheme: Scheme, exchanges: Sequence[Exchange]) -> None:
        allowed = scheme.countries_allowed()
        self.people = [
            h
            for h in pool.participants
            if h.country in allowed
            and not host_problems(scheme, h, pool.partnership_by_id[h.partnership].admits)
        ]
        hosted = Counter(e.host for e in exchanges)
        self.ids = np.array([h.id for h in self.people], dtype=object)
        self.country = np.array([h.country for h in self.people], dtype=object)
        self.point = np.array([h.point for h in self.people], dtype=np.float64).reshape(-1, 2)
        self.ceiling = np.array(
            [to_cents(scheme.ceiling(h.country)) for h in self.people], dtype=np.int64
        )
        self.capacity = np.array([h.capacity for h in self.people], dtype=np.int64)
        self.room = self.capacity - np.array([hosted[h.id] for h in self.people], dtype=np.int64)
        self.mode = np.array([h.mode for h in self.people], dtype=object)
        self.at_once = np.array(
            [-1 if h.at_once is None else h.at_once for h in self.people], dtype=np.int64
        )
        self.in_period = Counter(
            (e.host, pool.by_id[e.visitor].period)
            for e in exchanges
            if pool.by_id[e.visitor].period
        )


def _left(
    pool: ExchangePool,
    scheme: Scheme,
    p: Participant,
    hosts: _Hosts,
    spent: Counter[str],
    refused: set[tuple[str, str]],
    max_halved: float | None,
) -> str:
    """Why an eligible visitor is left out of this plan."""
    abroad = (hosts.country != p.country) & (hosts.ids != p.id)
    pair = [virtual_pair(p.mode, m) for m in hosts.mode]  # rule virtual: who can meet it
    virtual = np.array([v is True for v in pair], dtype=bool)
    abroad &= np.array([v is not None for v in pair], dtype=bool)
    if scheme.virtual_lump_sum is None:
        abroad &= ~virtual
    if refused:
        abroad &= np.array([(p.id, h) not in refused for h in hosts.ids], dtype=bool)
    if not (abroad & (hosts.capacity > 0)).any():
        return f"no host in another country of the scheme takes visitors (it is in {p.country})"
    if p.window is not None:
        a, b = p.window
        if first_start(p.window, p.working_days, ()) is None:
            return f"its travel window {a}..{b} holds no {p.working_days} working days"
        for k in np.flatnonzero(abroad):
            person = hosts.people[k]
            if (
                person.unavailable
                and first_start(p.window, p.working_days, person.unavailable) is None
            ):
                abroad[k] = False
        if not (abroad & (hosts.capacity > 0)).any():
            return f"no host abroad can receive it within its travel window {a}..{b}"
    free = abroad & (hosts.room > 0)
    if not free.any():
        return (
            f"every host that could take it is full ({int(abroad.sum())} hosts abroad, all at"
            " capacity)"
        )
    open_ = free.copy()
    if p.period:
        for k in np.flatnonzero(free):
            limit = hosts.at_once[k]
            if limit >= 0 and hosts.in_period[(hosts.ids[k], p.period)] >= limit:
                open_[k] = False
        if not open_.any():
            return f"its hosts with room take no more visitors at once in its period ({p.period})"
    km = great_circle_km(p.point[0], p.point[1], hosts.point[open_, 0], hosts.point[open_, 1])
    short, cents = stays(scheme, np.array(p.working_days), km, hosts.ceiling[open_], virtual[open_])
    budget = pool.partnership_by_id[p.partnership].budget
    if budget is not None:
        left = to_cents(budget) - spent[p.partnership]
        cheapest = int(cents.min())
        if left < cheapest:
            return (
                f"the budget of {p.partnership} is spent: EUR {euros(left):,.2f} left, its"
                f" cheapest stay costs EUR {euros(cheapest):,.2f}"
            )
    if max_halved is not None and np.all(short):
        return (
            f"every stay open to it is paid half the lump sum, and the programme keeps those to"
            f" {max_halved:.0%} of its exchanges (--max-halved)"
        )
    return (
        "not placed in the time given: a host and the budget remain (a longer --time-limit may"
        " place it)"
    )
