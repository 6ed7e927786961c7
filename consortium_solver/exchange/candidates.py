"""The candidate exchanges: every eligible (visitor, host) pair of a pool under a scheme, with its
distance, lump sum and value, computed at once with numpy (:class:`Candidates`, :class:`EdgeTable`).
What the planner, the bound and the greedy baseline all start from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from consortium_solver.core.geo import great_circle_km
from consortium_solver.core.money import to_cents
from consortium_solver.domain import LAGGING
from consortium_solver.domain.dates import first_start, stay_end
from consortium_solver.domain.exchanges import Exchange, ExchangePool, Participant
from consortium_solver.encode.exchanges import Edges
from consortium_solver.rules.scheme import Scheme
from consortium_solver.validate.exchanges import host_problems, visitor_problems

SCALE = 1000  # values in thousandths for the integer solvers


class Candidates:
    """Every eligible (visitor, host) pair with its distance, lump sum and value, as arrays."""

    def __init__(self, pool: ExchangePool, scheme: Scheme, visited: Sequence[str] = ()) -> None:
        """``visited``: participants who visited in earlier programmes (none visits again)."""
        self.pool, self.scheme = pool, scheme
        allowed = scheme.countries_allowed()
        earlier = set(visited)
        self.visitors = [
            p for p in pool.participants if may_visit(scheme, p) and p.id not in earlier
        ]
        self.hosts = [
            p
            for p in pool.participants
            if p.country in allowed
            and p.capacity > 0
            and not host_problems(scheme, p, pool.partnership_by_id[p.partnership].admits)
        ]
        self.capacities = np.array([h.capacity for h in self.hosts], dtype=np.int64)
        self.payer_index = {p.id: i for i, p in enumerate(pool.partnerships)}

    def edges(self, exclude: Sequence[tuple[str, str]] = ()) -> EdgeTable:
        return EdgeTable.of(self, set(exclude))

    def positions(
        self, edges: EdgeTable, pairs: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], int]:
        """(visitor id, host id) -> the edge's position in ``edges``, for ``pairs`` (found by a
        sorted search: as fast for 2 million edges as for 200; a pair with no edge is left out)."""
        vid = {v.id: a for a, v in enumerate(self.visitors)}
        hid = {h.id: b for b, h in enumerate(self.hosts)}
        width = max(len(self.hosts), 1)
        keys = edges.visitor.astype(np.int64) * width + edges.host.astype(np.int64)
        order = np.argsort(keys, kind="stable")
        out = {}
        for v, h in pairs:
            if v in vid and h in hid:
                key = vid[v] * width + hid[h]
                at = int(np.searchsorted(keys, key, sorter=order))
                if at < len(keys) and keys[order[at]] == key:
                    out[(v, h)] = int(order[at])
        return out

    def best_per_visitor(self, edges: EdgeTable, k: int, keep: list[int]) -> np.ndarray:
        """Each visitor's ``k`` most valuable hosts and its ``k`` best value per euro (with budgets
        binding, two halved lump sums can be worth more than one full one), and ``keep``."""
        chosen = set(keep)
        per_euro = edges.value / np.maximum(edges.lump, 1)
        for score in (edges.value, per_euro):
            order = np.lexsort((-score, edges.visitor))
            first = np.r_[0, np.flatnonzero(np.diff(edges.visitor[order])) + 1]
            rank = np.arange(len(order)) - np.repeat(first, np.diff(np.r_[first, len(order)]))
            chosen |= set(order[rank < k].tolist())
        return np.array(sorted(chosen), dtype=np.int64)

    def at_once(self, edges: EdgeTable) -> list[tuple[np.ndarray, int]]:
        """The edges of each host's visitors travelling in one period, where the host takes fewer
        at once than there are (edge indices, limit): the "host-at-once" rule."""
        periods = sorted({v.period for v in self.visitors if v.period is not None})
        code = {p: i for i, p in enumerate(periods)}
        period = np.array([code.get(v.period or "", -1) for v in self.visitors], dtype=np.int64)
        limit = np.array([-1 if h.at_once is None else h.at_once for h in self.hosts], np.int64)
        if not len(edges.visitor) or not periods or (limit < 0).all():
            return []
        # Edges of a visitor with a period to a host with a limit, grouped by (host, period).
        ks = np.flatnonzero((period[edges.visitor] >= 0) & (limit[edges.host] >= 0))
        if not len(ks):  # no visitor with a period reaches a host with a limit
            return []
        keys = edges.host[ks] * len(periods) + period[edges.visitor[ks]]
        order = np.argsort(keys, kind="stable")
        ks, keys = ks[order], keys[order]
        starts = np.flatnonzero(np.r_[True, np.diff(keys) != 0])
        out = []
        for members in np.split(ks, starts[1:]):
            most = int(limit[edges.host[members[0]]])
            if len(members) > most:
                out.append((members.astype(np.int64), most))
        return out

    def subset(self, edges: EdgeTable, kept: np.ndarray) -> EdgeTable:
        return EdgeTable(
            edges.visitor[kept],
            edges.host[kept],
            edges.value[kept],
            edges.lump[kept],
            edges.payer[kept],
            edges.km[kept],
            edges.euros[kept],
            edges.halved[kept],
            edges.virtual[kept],
        )

    def exchanges(self, edges: EdgeTable, chosen: Sequence[int]) -> list[Exchange]:
        out = []
        for k in sorted(chosen, key=lambda k: (int(edges.visitor[k]), int(edges.host[k]))):
            visitor, host = self.visitors[int(edges.visitor[k])], self.hosts[int(edges.host[k])]
            start = first_start(visitor.window, visitor.working_days, host.unavailable)
            out.append(
                Exchange(
                    visitor=visitor.id,
                    host=host.id,
                    start=start,
                    end=None if start is None else stay_end(start, visitor.working_days),
                    working_days=visitor.working_days,
                    virtual=bool(edges.virtual[k]),
                    distance_km=float(edges.km[k]),
                    lump_sum=float(edges.euros[k]),
                    partnership=visitor.partnership,
                )
            )
        return out


@dataclass(frozen=True)
class EdgeTable(Edges):
    """The candidate edges, with each one's distance (km, exact) and lump sum (EUR, whole cents:
    ``lump`` holds the cents the budgets count) for the plan."""

    km: np.ndarray
    euros: np.ndarray
    halved: np.ndarray  # bool: the lump sum is halved (a short stay or a short trip)
    virtual: np.ndarray  # bool: a virtual exchange

    @classmethod
    def of(cls, c: Candidates, exclude: set[tuple[str, str]]) -> EdgeTable:
        scheme, w = c.scheme, c.scheme.objective
        vs, hs = c.visitors, c.hosts
        if not vs or not hs:
            empty = np.zeros(0, dtype=np.int64)
            none = np.zeros(0, dtype=bool)
            return cls(empty, empty, empty, empty, empty, np.zeros(0), np.zeros(0), none, none)
        vc = np.array([v.country for v in vs])
        hc = np.array([h.country for h in hs])
        ok = vc[:, None] != hc[None, :]
        vid = {v.id: a for a, v in enumerate(vs)}
        hid = {h.id: b for b, h in enumerate(hs)}
        for visitor_id, host_id in exclude:
            if visitor_id in vid and host_id in hid:
                ok[vid[visitor_id], hid[host_id]] = False
        for row, person in enumerate(vs):  # a participant never visits itself
            if person.id in hid:
                ok[row, hid[person.id]] = False
        _dated(ok, vs, hs)
        a, b = np.array([v.point for v in vs]), np.array([h.point for h in hs])
        km = great_circle_km(a[:, 0, None], a[:, 1, None], b[None, :, 0], b[None, :, 1])
        days = np.array([v.working_days for v in vs])
        ceiling = np.array([to_cents(scheme.ceiling(h.country)) for h in hs], dtype=np.int64)
        virtual = _virtual(ok, vs, hs, scheme)
        short, cents = stays(scheme, days[:, None], km, ceiling[None, :], virtual)
        topics = sorted({t for p in (*vs, *hs) for t in (*p.seeks, *p.offers)})
        fit = incidence(vs, "seeks", topics) @ incidence(hs, "offers", topics).T
        sectors = sorted({s for p in (*vs, *hs) for s in p.sectors})
        shared = (incidence(vs, "sectors", sectors) @ incidence(hs, "sectors", sectors).T) > 0
        lag_v = np.array([v.region_category in LAGGING for v in vs])
        lag_h = np.array([h.region_category in LAGGING for h in hs])
        value = (
            w.exchange
            + w.fit * fit
            + w.shared_sector * shared
            + w.lagging * (lag_v[:, None] | lag_h[None, :])
            + w.full_lump_sum * (~short & ~virtual)
        )
        rows, cols = np.nonzero(ok)
        payer = np.array([c.payer_index[v.partnership] for v in vs])
        return cls(
            rows.astype(np.int64),
            cols.astype(np.int64),
            np.rint(value[rows, cols] * SCALE).astype(np.int64),
            cents[rows, cols].astype(np.int64),
            payer[rows],
            km[rows, cols],
            cents[rows, cols] / 100,
            short[rows, cols],
            virtual[rows, cols],
        )


def stays(
    scheme: Scheme,
    days: np.ndarray,
    km: np.ndarray,
    ceiling: np.ndarray,
    virtual: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Rule ``lump-sum`` over arrays (broadcast): which stays are paid half, and each one's lump
    sum in cents — the host country's ceiling (cents), halved down to the cent below the scheme's
    working days or distance, a virtual exchange the scheme's virtual lump sum and never halved
    (``validate.exchanges.lump_cents`` one stay at a time)."""
    short = ((days < scheme.halve_below_working_days) | (km < scheme.halve_below_km)) & ~virtual
    cents = np.where(short, ceiling // 2, ceiling)  # money.half: down
    return short, np.where(virtual, to_cents(scheme.virtual_lump_sum or 0.0), cents)


def _virtual(
    ok: np.ndarray, vs: Sequence[Participant], hs: Sequence[Participant], scheme: Scheme
) -> np.ndarray:
    """Rule ``virtual``: which pairs meet virtually; pairs that cannot meet either way (or only
    virtually where the scheme offers no virtual exchange) are struck from ``ok``."""
    vmode = np.array([v.mode for v in vs], dtype=object)[:, None]
    hmode = np.array([h.mode for h in hs], dtype=object)[None, :]
    insists = (vmode == "virtual") | (hmode == "virtual")
    refuses = (vmode == "on site") | (hmode == "on site")
    ok &= ~(insists & refuses)
    if scheme.virtual_lump_sum is None:
        ok &= ~insists
    return np.asarray(insists & ~refuses, dtype=bool)


def _dated(ok: np.ndarray, vs: Sequence[Participant], hs: Sequence[Participant]) -> None:
    """Rule ``dates``: a visitor with a travel window keeps only the hosts at which a stay of its
    working days fits in the window, off the host's unavailable days."""
    closed = [col for col, h in enumerate(hs) if h.unavailable]
    for row, v in enumerate(vs):
        if v.window is None:
            continue
        if first_start(v.window, v.working_days, ()) is None:
            ok[row, :] = False
            continue
        for col in closed:
            if ok[row, col] and first_start(v.window, v.working_days, hs[col].unavailable) is None:
                ok[row, col] = False


def may_visit(scheme: Scheme, p: Participant) -> bool:
    """A visitor the scheme admits (who may be left without a host)."""
    return (
        not visitor_problems(scheme, p)
        and p.country in scheme.countries_allowed()
        and scheme.min_working_days <= p.working_days <= scheme.max_working_days
    )


def incidence(people: Sequence[Participant], field: str, items: list[str]) -> np.ndarray:
    index = {t: i for i, t in enumerate(items)}
    out = np.zeros((len(people), max(len(items), 1)), dtype=np.int64)
    for row, p in enumerate(people):
        for t in getattr(p, field):
            out[row, index[t]] = 1
    return out
