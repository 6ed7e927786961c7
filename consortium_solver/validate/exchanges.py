"""Judging a programme of exchanges against an exchange scheme, from the definitions: every rule per
exchange (countries, types, duration, the lump sum and distance recomputed) and per programme (each
visitor once, hosts within capacity, each partnership within its budget), and the programme's value.

Plain Python and independent of the planner: it recomputes everything the plan states. Money is
counted in whole cents (:mod:`consortium_solver.core.money`); the 200-km test takes the exact
distance (a trip of 199.96 km is below 200 km, though shown as 200.0).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from consortium_solver.core.geo import great_circle_km
from consortium_solver.core.money import euros, half, to_cents
from consortium_solver.domain import LAGGING
from consortium_solver.domain.dates import is_working_day, overlaps, working_days
from consortium_solver.domain.exchanges import Exchange, ExchangePool, Participant, virtual_pair
from consortium_solver.rules.scheme import Scheme


@dataclass
class PlanVerdict:
    """The validator's answer: the problems (``rule: sentence``), each exchange's value, the
    programme's value and each partnership's spending."""

    problems: list[str] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    value: float = 0.0
    spending: dict[str, float] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.problems


def halved(scheme: Scheme, working_days: int, distance_km: float) -> bool:
    """Whether the lump sum is halved: a stay below the scheme's working days, or a trip below its
    distance (the exact distance: never the rounded one shown)."""
    return working_days < scheme.halve_below_working_days or distance_km < scheme.halve_below_km


def lump_cents(
    scheme: Scheme, host: Participant, working_days: int, distance_km: float, virtual: bool = False
) -> int:
    """The lump sum in cents: the host country's ceiling, halved (down to the cent) for a short
    stay or a short distance (scheme rule ``lump-sum``); a virtual exchange's is the scheme's
    virtual lump sum (rule ``virtual``)."""
    if virtual:
        return to_cents(scheme.virtual_lump_sum or 0.0)
    full = to_cents(scheme.ceiling(host.country))
    return half(full) if halved(scheme, working_days, distance_km) else full


def lump_sum(
    scheme: Scheme, host: Participant, working_days: int, distance_km: float, virtual: bool = False
) -> float:
    """The lump sum in EUR (:func:`lump_cents` as euros)."""
    return euros(lump_cents(scheme, host, working_days, distance_km, virtual))


def exchange_value(
    scheme: Scheme,
    visitor: Participant,
    host: Participant,
    working_days: int,
    km: float,
    virtual: bool = False,
) -> float:
    """The value of one exchange: Σ weight × term of the scheme's objective."""
    w = scheme.objective
    fit = len(set(visitor.seeks) & set(host.offers))
    shared = bool(set(visitor.sectors) & set(host.sectors))
    lagging = visitor.region_category in LAGGING or host.region_category in LAGGING
    full = not virtual and not halved(scheme, working_days, km)
    return (
        w.exchange
        + w.fit * fit
        + w.shared_sector * shared
        + w.lagging * lagging
        + (w.full_lump_sum * full)
    )


def visitor_problems(scheme: Scheme, visitor: Participant) -> list[str]:
    """The scheme's rules that keep a participant from visiting at all, as ``rule: sentence``."""
    out = []
    if not visitor.visits or visitor.participant_type not in scheme.visitor_types:
        out.append(
            f"visitor-type: {visitor.id} ({visitor.participant_type.value}, {visitor.role.value})"
            " may not visit"
        )
    elif visitor.participant_type in scheme.member_types and visitor.cluster_member is False:
        out.append(
            f"membership: {visitor.id} ({visitor.participant_type.words}) is not a member of a"
            " cluster taking part: it may host, not visit"
        )
    return out


def host_problems(scheme: Scheme, host: Participant, admits: Sequence[str] | None) -> list[str]:
    """The scheme's rules that keep a participant from hosting at all (``admits``: the host-only
    types its partnership admits; None: every type the scheme admits)."""
    kind = host.participant_type
    if not host.hosts or kind not in scheme.host_types:
        return [f"host-type: {host.id} ({kind.value}, {host.role.value}) may not host"]
    if kind not in scheme.visitor_types and admits is not None and kind not in admits:
        return [
            f"host-type: {host.id} ({kind.words}) is a type its partnership {host.partnership}"
            " does not admit as a host"
        ]
    return []


def exchange_problems(
    scheme: Scheme,
    visitor: Participant,
    host: Participant,
    working_days: int,
    admits: Sequence[str] | None = None,
) -> list[str]:
    """The scheme's rules one exchange breaks, as ``rule: sentence`` (``admits``: the host-only
    types the host's partnership admits)."""
    out = []
    allowed = scheme.countries_allowed()
    for who, p in (("visitor", visitor), ("host", host)):
        if p.country not in allowed:
            out.append(f"cosme-countries: the {who} {p.id} is in {p.country}, not a COSME country")
    if visitor.country == host.country:
        out.append(f"different-countries: {visitor.id} and {host.id} are both in {host.country}")
    out += visitor_problems(scheme, visitor)
    out += host_problems(scheme, host, admits)
    if not scheme.min_working_days <= working_days <= scheme.max_working_days:
        out.append(
            f"duration: {working_days} working days, not {scheme.min_working_days}"
            f" to {scheme.max_working_days}"
        )
    return out


def virtual_problems(
    scheme: Scheme, visitor: Participant, host: Participant, ex: Exchange
) -> list[str]:
    """Rule ``virtual``: an exchange is virtual exactly when one side takes part only virtually
    and the other accepts it, and only where the scheme offers virtual exchanges."""
    pair = virtual_pair(visitor.mode, host.mode)
    if pair is None:
        return [
            f"virtual: {visitor.id} ({visitor.mode}) and {host.id} ({host.mode}) cannot meet"
            " either way"
        ]
    if pair and scheme.virtual_lump_sum is None:
        return [f"virtual: {scheme.id} offers no virtual exchanges (no virtual lump sum)"]
    if ex.virtual != pair:
        said = "virtual" if ex.virtual else "on site"
        return [
            f"virtual: the exchange is stated {said}, the two meet {'virtually' if pair else 'on site'}"
        ]
    return []


def date_problems(visitor: Participant, host: Participant, ex: Exchange) -> list[str]:
    """Rule ``dates``: a visitor with a travel window has a stay dated within it, of its working
    days, on none of the host's unavailable days; dates without a window are still checked."""
    if ex.start is None or ex.end is None:
        if visitor.window is not None:
            return [f"dates: {visitor.id} gives a travel window, the stay has no dates"]
        return []
    out = []
    if not (is_working_day(ex.start) and is_working_day(ex.end)):
        out.append(f"dates: the stay {ex.start}..{ex.end} starts or ends on a weekend")
    if working_days(ex.start, ex.end) != ex.working_days:
        out.append(
            f"dates: {ex.start}..{ex.end} holds {working_days(ex.start, ex.end)} working days,"
            f" the stay {ex.working_days}"
        )
    window = visitor.window
    if window is not None and not (window[0] <= ex.start and ex.end <= window[1]):
        out.append(
            f"dates: {ex.start}..{ex.end} is outside {visitor.id}'s travel window"
            f" {window[0]}..{window[1]}"
        )
    if overlaps(ex.start, ex.end, host.unavailable):
        out.append(f"dates: {host.id} cannot receive anyone on some days of {ex.start}..{ex.end}")
    return out


def check_plan(
    pool: ExchangePool,
    scheme: Scheme,
    exchanges: Sequence[Exchange],
    visited: Sequence[str] = (),
    max_halved: float | None = None,
) -> PlanVerdict:
    """Judge a programme of exchanges; ``visited``: the participants who visited in earlier
    programmes (rule visit-once: none visits again); ``max_halved``: the coordinator's cap on the
    share of exchanges paid half the lump sum.

    Raises:
        InputError: an exchange names a participant that is not in the pool.
    """
    verdict = PlanVerdict()
    paid: dict[str, list[int]] = defaultdict(list)  # cents
    short = 0  # exchanges paid half the lump sum (a virtual one never is)
    for k, ex in enumerate(exchanges):
        visitor = pool.require(ex.visitor, f"exchanges[{k}].visitor")
        host = pool.require(ex.host, f"exchanges[{k}].host")
        where = f"exchange {k + 1} ({ex.visitor} → {ex.host})"
        admits = pool.partnership_by_id[host.partnership].admits
        verdict.problems += [
            f"{p} [{where}]"
            for p in exchange_problems(scheme, visitor, host, ex.working_days, admits)
        ]
        if ex.working_days != visitor.working_days:
            verdict.problems.append(
                f"duration: {where} states {ex.working_days} working days, the visitor's stay is"
                f" {visitor.working_days}"
            )
        verdict.problems += [f"{p} [{where}]" for p in date_problems(visitor, host, ex)]
        km = great_circle_km(*visitor.point, *host.point)
        if not math.isclose(km, ex.distance_km, abs_tol=0.05):  # what a display rounds away
            verdict.problems.append(
                f"lump-sum: {where} states {ex.distance_km:.1f} km, it is {km:.1f} km"
            )
        verdict.problems += [f"{p} [{where}]" for p in virtual_problems(scheme, visitor, host, ex)]
        due = lump_cents(scheme, host, ex.working_days, km, ex.virtual)
        short += not ex.virtual and halved(scheme, ex.working_days, km)
        if not math.isclose(ex.lump_sum, euros(due), abs_tol=1e-9):  # to the cent, and below
            verdict.problems.append(
                f"lump-sum: {where} states EUR {ex.lump_sum:,.2f}, due EUR {euros(due):,.2f}"
            )
        if ex.partnership != visitor.partnership:
            verdict.problems.append(
                f"budget: {where} is paid by {ex.partnership}, but {visitor.id} belongs to"
                f" {visitor.partnership}"
            )
        paid[visitor.partnership].append(due)
        verdict.values.append(
            exchange_value(scheme, visitor, host, ex.working_days, km, ex.virtual)
        )
    verdict.problems += _programme_problems(pool, exchanges, visited)
    if max_halved is not None and 1000 * short > round(max_halved * 1000) * len(exchanges):
        verdict.problems.append(
            f"max-halved: {short} of {len(exchanges)} exchanges are paid half the lump sum,"
            f" more than the {max_halved:.1%} asked"
        )
    spending = {p.id: sum(paid.get(p.id, [])) for p in pool.partnerships}  # cents
    for partnership in pool.partnerships:
        spent = spending[partnership.id]
        if partnership.budget is not None and spent > to_cents(partnership.budget):
            verdict.problems.append(
                f"budget: {partnership.id} spends EUR {euros(spent):,.2f} of a budget of EUR"
                f" {euros(to_cents(partnership.budget)):,.2f}"
            )
    verdict.spending = {k: euros(v) for k, v in spending.items()}
    verdict.value = math.fsum(verdict.values)
    return verdict


def _programme_problems(
    pool: ExchangePool, exchanges: Sequence[Exchange], visited: Sequence[str]
) -> list[str]:
    """The rules of the programme as a whole: each visitor once (and not again after an earlier
    programme), each host within its capacity and its at-once limit in a period."""
    problems: list[str] = []
    visits = Counter(ex.visitor for ex in exchanges)
    earlier = set(visited)
    for visitor_id, n in sorted(visits.items()):
        if n > 1:
            problems.append(f"visit-once: {visitor_id} visits {n} times")
        if visitor_id in earlier:
            problems.append(f"visit-once: {visitor_id} visited in an earlier programme (history)")
    hosted = Counter(ex.host for ex in exchanges)
    for host_id, n in sorted(hosted.items()):
        capacity = pool.by_id[host_id].capacity
        if n > capacity:
            problems.append(f"host-capacity: {host_id} hosts {n}, its capacity is {capacity}")
    together = Counter(
        (ex.host, pool.by_id[ex.visitor].period)
        for ex in exchanges
        if pool.by_id[ex.visitor].period is not None and pool.by_id[ex.host].at_once is not None
    )
    for (host_id, period), n in sorted(together.items(), key=lambda item: str(item[0])):
        at_once = pool.by_id[host_id].at_once
        if at_once is not None and n > at_once:
            problems.append(
                f"host-at-once: {host_id} hosts {n} visitors in {period}, at most {at_once} at once"
            )
    return problems


def check_stated(
    pool: ExchangePool,
    scheme: Scheme,
    exchanges: Sequence[Exchange],
    spending: dict[str, float] | None,
    objective: float | None,
    visited: Sequence[str] = (),
    max_halved: float | None = None,
) -> PlanVerdict:
    """Judge a plan document as a whole: :func:`check_plan`, and what else it states — each
    exchange's value, each partnership's spending and the programme's value (objective)."""
    verdict = check_plan(pool, scheme, exchanges, visited, max_halved)
    for k, (ex, value) in enumerate(zip(exchanges, verdict.values, strict=True)):
        if not math.isclose(ex.value, value, rel_tol=1e-9, abs_tol=1e-9):
            verdict.problems.append(
                f"value: exchange {k + 1} ({ex.visitor} → {ex.host}) states {ex.value:g}, it is"
                f" worth {value:g}"
            )
    for pid, stated in sorted((spending or {}).items()):
        if pid not in verdict.spending:
            verdict.problems.append(f"budget: the plan states spending for {pid}, no partnership")
        elif to_cents(stated) != to_cents(verdict.spending[pid]):
            verdict.problems.append(
                f"budget: the plan states {pid} spends EUR {stated:,.2f}, its exchanges cost"
                f" EUR {verdict.spending[pid]:,.2f}"
            )
    if objective is not None and not math.isclose(objective, verdict.value, rel_tol=1e-9):
        verdict.problems.append(
            f"value: the plan states a value of {objective:g}, its exchanges are worth"
            f" {verdict.value:g}"
        )
    return verdict
