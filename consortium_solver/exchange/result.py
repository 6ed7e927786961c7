"""A programme as the answer: judged by the independent validator (a plan it rejects is a bug),
each exchange's value the validator's, the visitors left without a host listed, and why a pair
asked for cannot be an exchange."""

from __future__ import annotations

from collections.abc import Sequence

from consortium_solver.core.clock import Clock, interrupted
from consortium_solver.core.errors import InternalError
from consortium_solver.core.money import euros, rounded, to_cents
from consortium_solver.domain import ExchangeResult, Status
from consortium_solver.domain.exchanges import Exchange, ExchangePool
from consortium_solver.domain.places import place_problem
from consortium_solver.exchange.candidates import SCALE
from consortium_solver.exchange.options import ExchangeOptions
from consortium_solver.exchange.reasons import unplaced_reasons
from consortium_solver.rules.scheme import Scheme
from consortium_solver.validate.exchanges import PlanVerdict, check_plan, exchange_problems


def judged_plan(
    pool: ExchangePool,
    scheme: Scheme,
    exchanges: list[Exchange],
    what: str,
    options: ExchangeOptions | None = None,
) -> tuple[list[Exchange], PlanVerdict]:
    """The validator's verdict on a plan, and its exchanges carrying the validator's values; a
    plan the validator rejects is a bug (``what`` says which plan, for the error)."""
    options = options or ExchangeOptions()
    verdict = check_plan(pool, scheme, exchanges, options.history, options.max_halved)
    if not verdict.valid:
        raise InternalError(f"{what} is a plan the validator rejects: {verdict.problems[0]}")
    valued = [
        e.model_copy(update={"value": v}) for e, v in zip(exchanges, verdict.values, strict=True)
    ]
    return valued, verdict


def judged_result(
    pool: ExchangePool,
    scheme: Scheme,
    options: ExchangeOptions,
    clock: Clock,
    status: Status,
    exchanges: list[Exchange],
    bound: float | None,
    note: str | None = None,
) -> ExchangeResult:
    exchanges, verdict = judged_plan(pool, scheme, exchanges, "the planner's programme", options)
    for said in [*money_notes(pool, scheme), *place_notes(pool)]:
        note = f"{note}; {said}" if note else said
    unplaced = unplaced_reasons(
        pool, scheme, exchanges, options.exclude, options.history, options.max_halved
    )
    return ExchangeResult(
        scheme=scheme.id,
        pool=pool.name,
        status=status,
        objective=verdict.value if exchanges or status is Status.OPTIMAL else None,
        bound=None if bound is None else bound / SCALE,
        wall_time_s=round(clock.elapsed(), 3),
        seed=options.seed,
        workers=options.threads,
        exchanges=tuple(exchanges),
        spending=verdict.spending,
        unplaced=unplaced,
        note=note,
        interrupted=interrupted(),
    )


def money_notes(pool: ExchangePool, scheme: Scheme) -> list[str]:
    """What a coordinator should know of the money: partnerships without a budget (spending not
    limited), and amounts given below the cent, rounded once on the way in."""
    notes = []
    unlimited = [p.id for p in pool.partnerships if p.budget is None]
    if unlimited:
        said = (
            "no budgets given: the partnerships' spending is not limited"
            if len(unlimited) == len(pool.partnerships)
            else f"no budget given for {', '.join(unlimited)}: their spending is not limited"
        )
        notes.append(said + " (give each a Budget in a Partnerships sheet: ID, Name, Budget)")
    amounts = [(f"the budget of {p.id}", p.budget) for p in pool.partnerships if p.budget]
    amounts += [(f"the ceiling of {c}", a) for c, a in sorted(scheme.ceilings.items())]
    amounts.append(("the default ceiling", scheme.default_ceiling))
    cut = [f"{what} EUR {amount} as EUR {euros(to_cents(amount)):,.2f}" for what, amount
           in amounts if amount is not None and rounded(amount)]  # fmt: skip
    if cut:
        notes.append("amounts rounded to the cent: " + ", ".join(cut))
    return notes


PLACES_SHOWN = 5  # participants named in the note on points outside their regions


def place_notes(pool: ExchangePool) -> list[str]:
    """Participants whose coordinates are not in the NUTS-2 region they declare (distances, and
    so lump sums, follow the coordinates): the first few named, with "lat/lon swapped?" where the
    numbers read the other way round fit."""
    found = [
        f"{p.id}: {said}"
        for p in pool.participants
        if p.lat is not None and p.lon is not None and p.nuts2
        and (said := place_problem(p.nuts2, p.lat, p.lon)) is not None
    ]  # fmt: skip
    if not found:
        return []
    more = f" (and {len(found) - PLACES_SHOWN} more)" if len(found) > PLACES_SHOWN else ""
    return ["coordinates outside the declared region: " + "; ".join(found[:PLACES_SHOWN]) + more]


def why_not(
    scheme: Scheme, pool: ExchangePool, v: str, h: str, exclude: Sequence[tuple[str, str]]
) -> str:
    """Why a pair asked for with --include cannot be an exchange, rule by rule."""
    if (v, h) in exclude:
        return f"{v}:{h}: asked to be both included and excluded"
    visitor, host = pool.by_id[v], pool.by_id[h]
    admits = pool.partnership_by_id[host.partnership].admits
    problems = exchange_problems(scheme, visitor, host, visitor.working_days, admits)
    if v == h:
        problems.append(f"different-countries: {v} cannot visit itself")
    if host.capacity == 0:
        problems.append(f"host-capacity: {h} has a capacity of 0")
    return f"{v}:{h}: " + ("; ".join(problems) or "not an eligible exchange")
