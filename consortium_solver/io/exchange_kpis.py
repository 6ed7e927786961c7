"""What a partnership's coordinator reports on a programme (issue 30, item 9): per partnership, the
exchanges it pays for, the visitors its hosts receive, the countries and the less developed and
transition regions involved, the SMEs taking part, the share of lump sums halved, the money spent
and left; and, per exchange, why it fits in words."""

from __future__ import annotations

from dataclasses import dataclass

from consortium_solver.core.errors import InputError
from consortium_solver.domain import LAGGING, ExchangeResult
from consortium_solver.domain.exchanges import ExchangePool, Participant, ParticipantType
from consortium_solver.io import vocabulary as vocab
from consortium_solver.rules.scheme import Scheme, load_scheme
from consortium_solver.validate.exchanges import halved

KPI_HEADERS = [
    "partnership", "name", "exchanges", "visitors hosted", "countries",
    "less developed and transition regions", "SMEs", "share halved", "spent EUR", "budget EUR",
    "left EUR",
]  # fmt: skip


@dataclass(frozen=True)
class PartnershipKpis:
    """One partnership's figures for the programme."""

    id: str
    name: str
    exchanges: int  # paid by it: its visitors' stays
    hosted: int  # visitors its hosts receive, from any partnership
    countries: int  # distinct countries of its visitors and their hosts
    lagging_regions: int  # distinct less developed or transition NUTS-2 regions among them
    smes: int  # distinct SMEs among its visitors and their hosts
    halved: float | None  # share of its exchanges paid half the lump sum (None: none)
    spent: float
    budget: float | None
    left: float | None

    def row(self) -> list[object]:
        return [
            self.id, self.name, self.exchanges, self.hosted, self.countries, self.lagging_regions,
            self.smes, self.halved, self.spent, self.budget, self.left,
        ]  # fmt: skip


def scheme_of(result: ExchangeResult) -> Scheme:
    """The scheme a plan names, when packaged; else the packaged default (its halving rule)."""
    try:
        return load_scheme(result.scheme)
    except InputError:  # a scheme from a file the plan only names
        return load_scheme()


def partnership_kpis(
    result: ExchangeResult, pool: ExchangePool, scheme: Scheme | None = None
) -> list[PartnershipKpis]:
    """Every partnership's figures, in the pool's order."""
    scheme = scheme or scheme_of(result)
    by_id = pool.by_id
    out = []
    for p in pool.partnerships:
        mine = [x for x in result.exchanges if x.partnership == p.id]
        people = [by_id[i] for i in dict.fromkeys(i for x in mine for i in (x.visitor, x.host))]
        regions = {q.nuts2 for q in people if q.nuts2 and q.region_category in LAGGING}
        short = sum(not x.virtual and halved(scheme, x.working_days, x.distance_km) for x in mine)
        spent = result.spending.get(p.id, 0.0)
        out.append(
            PartnershipKpis(
                id=p.id,
                name=p.name,
                exchanges=len(mine),
                hosted=sum(by_id[x.host].partnership == p.id for x in result.exchanges),
                countries=len({q.country for q in people}),
                lagging_regions=len(regions),
                smes=sum(q.participant_type is ParticipantType.SME for q in people),
                halved=short / len(mine) if mine else None,
                spent=spent,
                budget=p.budget,
                left=None if p.budget is None else round(p.budget - spent, 2),
            )
        )
    return out


def fit_words(visitor: Participant, host: Participant) -> str:
    """Why a visitor and a host fit, in words: the topics the visitor seeks that the host offers,
    the sectors they share ("seeks AI, offered by the host; both in Digital")."""
    sought = [t for t in visitor.seeks if t in set(host.offers)]
    shared = [s for s in visitor.sectors if s in set(host.sectors)]
    parts = []
    if sought:
        parts.append(f"seeks {', '.join(sought)}, offered by the host")
    if shared:
        parts.append("both in " + ", ".join(vocab.words_for("sectors", s) for s in shared))
    return "; ".join(parts)
