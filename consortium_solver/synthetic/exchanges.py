"""Seeded synthetic ClusterXchange pools, drawn like the consortium pools (real NUTS-2 regions
weighted by population, the sector taxonomy, the competence vocabulary) with roles, participant
types, partnerships, capacities, stays and budgets added.

Budgets, when drawn, pay for about 60 % of each partnership's visitors at full lump sums, so that they
bind: the case CP-SAT is for.
"""

from __future__ import annotations

import random
from typing import TypeVar

from consortium_solver.core.errors import InputError
from consortium_solver.domain.exchanges import (
    ExchangePool,
    Participant,
    ParticipantType,
    Partnership,
    Role,
)
from consortium_solver.synthetic.pools import generate_pool

ROLES = {Role.VISITOR: 0.55, Role.HOST: 0.30, Role.BOTH: 0.15}
TYPES = {
    ParticipantType.CLUSTER: 0.40,
    ParticipantType.BUSINESS_NETWORK: 0.10,
    ParticipantType.SCALING_UP: 0.20,
    ParticipantType.SME: 0.22,
    ParticipantType.TRAINING: 0.03,
    ParticipantType.LARGE_COMPANY: 0.03,
    ParticipantType.PUBLIC_AUTHORITY: 0.02,
}
T = TypeVar("T")
DAYS = (3, 4, 5, 5, 5, 5, 10, 10, 15, 22)
FULL_LUMP_SUM = 780.0  # the packaged default ceiling (models/clusterxchange-ceilings-default.csv)


def generate_exchange_pool(
    n: int,
    seed: int,
    *,
    partnerships: int = 12,
    budgets: bool = True,
    name: str | None = None,
    periods: int = 0,
) -> ExchangePool:
    """Draw an exchange pool of ``n`` participants managed by ``partnerships`` partnerships; with
    ``periods`` > 0, visitors travel in one of that many months (2021-03, 2021-04, ...) and about
    half of the hosts take 1 or 2 visitors at once (drawn from a stream of their own, so that the
    rest of the pool is the same as without periods).

    Raises:
        InputError: fewer than 2 participants or fewer than 1 partnership.
    """
    if n < 2:
        raise InputError("at least 2 participants", field="n", value=n)
    if not 0 <= periods <= 120:
        raise InputError("from 0 to 120 periods", field="periods", value=periods)
    if not 1 <= partnerships <= 1_000:
        raise InputError("from 1 to 1,000 partnerships", field="partnerships", value=partnerships)
    rng = random.Random(seed)
    # Organisations without a NUTS-2 point (a few non-EU countries) are skipped: draw a margin.
    drawn = generate_pool(n + n // 5 + 10, seed, ineligible_share=0.0, id_prefix="cxc")
    located = [o for o in drawn.organisations if o.nuts2 is not None][:n]
    ids = [f"ESCP-{k:02d}" for k in range(1, partnerships + 1)]
    people = []
    for org in located:
        role = _pick(rng, ROLES)
        kind = _pick(rng, TYPES)
        if kind in (
            ParticipantType.TRAINING,
            ParticipantType.LARGE_COMPANY,
            ParticipantType.PUBLIC_AUTHORITY,
        ):
            role = Role.HOST  # host-only types
        people.append(
            Participant(
                id=org.id,
                name=org.name,
                country=org.country,
                nuts2=org.nuts2,
                participant_type=kind,
                role=role,
                partnership=rng.choice(ids),
                sectors=org.sectors,
                offers=org.offers,
                seeks=org.needs,
                capacity=rng.choice((1, 1, 2, 2, 3, 4)) if role is not Role.VISITOR else 0,
                working_days=rng.choice(DAYS),
            )
        )
    if periods > 0:
        people = _with_periods(people, seed, periods)
    visitors = {p: 0 for p in ids}
    for person in people:
        if person.role is not Role.HOST:
            visitors[person.partnership] += 1
    return ExchangePool(
        name=name or f"synthetic-exchange-n{n}-s{seed}",
        partnerships=tuple(
            Partnership(
                id=p,
                name=f"European Strategic Cluster Partnership {p[-2:]}",
                budget=round(0.6 * visitors[p] * FULL_LUMP_SUM, -1) if budgets else None,
            )
            for p in ids
        ),
        participants=tuple(people),
    )


def _with_periods(people: list[Participant], seed: int, periods: int) -> list[Participant]:
    rng = random.Random(f"periods-{seed}")
    months = [f"{2021 + (2 + k) // 12}-{(2 + k) % 12 + 1:02d}" for k in range(periods)]
    out = []
    for person in people:
        update: dict[str, object] = {}
        if person.visits:
            update["period"] = rng.choice(months)
        if person.hosts and rng.random() < 0.5:
            update["at_once"] = rng.choice((1, 2))
        out.append(person.model_copy(update=update) if update else person)
    return out


def _pick(rng: random.Random, weights: dict[T, float]) -> T:
    options = list(weights)
    return rng.choices(options, weights=[weights[o] for o in options])[0]
