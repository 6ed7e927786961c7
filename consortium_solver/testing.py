"""Hypothesis strategies for property tests of code that uses consortium-solver.

Needs hypothesis (``pip install 'consortium-solver[testing]'``). The strategies draw realistic data —
real country codes and NUTS-2 regions from the package's reference data, the sector taxonomy, the
rule vocabulary of call models — and shrink towards small, plain examples: few organisations, the
first places and sectors of the lists below, few rules.

Example (a property a user's suite can copy)::

    from hypothesis import given, settings
    from consortium_solver import check
    from consortium_solver.builder import BuildOptions, build
    from consortium_solver.testing import calls, pools

    @settings(max_examples=50, deadline=None)
    @given(pool=pools(min_size=3, max_size=10), call=calls())
    def test_every_consortium_built_meets_the_rules(pool, call):
        result = build(pool, call, options=BuildOptions(time_limit=5, workers=1))
        for consortium in result.consortia:
            verdict = check(pool, call, list(consortium.members))
            assert verdict.eligible
            assert abs(verdict.score - consortium.score) < 1e-6

``pools`` returns :class:`~consortium_solver.domain.Pool` objects; ``pool.model_dump_json()`` is the
pool document (README, "Pools") that ``consortium check/build/group`` read.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "consortium_solver.testing needs hypothesis: pip install 'consortium-solver[testing]'"
    ) from exc

from consortium_solver import reference
from consortium_solver.domain import (
    DEVELOPMENT,
    LAGGING,
    EccpStatus,
    Maturity,
    Organisation,
    OrganisationType,
    Pool,
)
from consortium_solver.domain.exchanges import (
    ExchangePool,
    Participant,
    ParticipantType,
    Partnership,
    Role,
)
from consortium_solver.rules import (
    Call,
    Coordinator,
    MaxPerValue,
    MemberIn,
    MinCount,
    MinDistinct,
    MinIndependent,
    Objective,
    Search,
    Size,
)
from consortium_solver.rules.scheme import ExchangeObjective, Scheme, load_scheme

__all__ = [
    "calls",
    "consortia",
    "entity_facts",
    "exchange_pools",
    "organisations",
    "participants",
    "places",
    "pools",
    "rules",
    "schemes",
    "todays_rules",
]

# Shrinking goes towards the start of each list: eligible, plain values first.
_TYPES = (
    OrganisationType.CLUSTER_ORGANISATION,
    OrganisationType.BUSINESS_NETWORK_ORGANISATION,
)
_ECCP = (EccpStatus.REGISTERED, EccpStatus.APPLIED)
_OUTSIDE_COSME = ("CH", "NO", "US", "IL")


@functools.cache
def _places() -> tuple[tuple[str, str | None, str], ...]:
    """(country, NUTS-2 code or None, category) for every COSME country of 2018: EU regions with a
    2014-2020 category (NUTS 2021 codes), the other countries' regions (unclassified), or the
    country alone where it has no NUTS-2 region. Ordered so that shrinking prefers a few large
    EU countries."""
    cosme = reference.cosme_countries_2018()
    first = ("DE", "FR", "IT", "PL", "ES")
    out: list[tuple[str, str | None, str]] = []
    by_country: dict[str, list[tuple[str, str | None, str]]] = {c: [] for c in cosme}
    for code, region in sorted(reference.regions().items()):
        if region.country not in cosme:
            continue
        if region.country in reference.eu28_countries():
            if "2021" in region.versions and region.category is not None:
                by_country[region.country].append((region.country, code, region.category))
        elif "2024" in region.versions:
            by_country[region.country].append((region.country, code, "unclassified"))
    for country in (*first, *sorted(c for c in cosme if c not in first)):
        entries = by_country[country] or [(country, None, "unclassified")]
        out.extend(entries)
    return tuple(out)


def places(
    countries: Sequence[str] | None = None, lagging: bool | None = None
) -> st.SearchStrategy[tuple[str, str | None]]:
    """A (country, NUTS-2 code or None) of a COSME country of 2018, optionally among ``countries``
    and optionally in (``lagging=True``) or outside (``False``) a less developed or transition
    region."""
    chosen = [
        (country, code)
        for country, code, category in _places()
        if (countries is None or country in countries)
        and (lagging is None or (category in LAGGING) == lagging)
    ]
    if not chosen:
        raise ValueError("no region of the reference data matches these countries and lagging")
    return st.sampled_from(chosen)


def _sector_ids(sectors: Sequence[str] | None) -> list[str]:
    known = list(reference.sectors())
    if sectors is None:
        return known
    unknown = [s for s in sectors if s not in reference.sectors()]
    if unknown:
        raise ValueError(f"unknown sector ids {unknown} (see `consortium sectors`)")
    return list(sectors)


@st.composite
def organisations(
    draw: st.DrawFn,
    org_id: str | None = None,
    *,
    eligible: bool | None = None,
    countries: Sequence[str] | None = None,
    sectors: Sequence[str] | None = None,
    lagging: bool | None = None,
) -> Organisation:
    """One organisation. ``eligible=True`` draws one the 2018 call accepts as a member (COSME
    country, cluster or business-network organisation, on the ECCP); ``False`` one that fails it in
    exactly one way; ``None`` either. ``sectors`` narrows the sector ids (a few make overlaps,
    which the score is about, frequent)."""
    if eligible is None:
        eligible = draw(st.booleans().map(lambda b: not b))  # shrinks to eligible
    sector_ids = _sector_ids(sectors)
    country, nuts2 = draw(places(countries, lagging))
    org_type = draw(st.sampled_from(_TYPES))
    eccp = draw(st.sampled_from(_ECCP))
    if not eligible:
        defect = draw(st.sampled_from(("type", "eccp", "country")))
        if defect == "type":
            org_type = OrganisationType.OTHER
        elif defect == "eccp":
            eccp = EccpStatus.NONE
        else:
            country, nuts2 = draw(st.sampled_from(_OUTSIDE_COSME)), None
    tags = sorted(reference.competences())
    identifier = org_id or draw(st.from_regex(r"[a-z][a-z0-9-]{0,7}", fullmatch=True))
    return Organisation(
        id=identifier,
        name=f"Cluster {identifier}",
        country=country,
        nuts2=nuts2,
        organisation_type=org_type,
        eccp_status=eccp,
        sectors=tuple(
            draw(st.lists(st.sampled_from(sector_ids), min_size=1, max_size=3, unique=True))
        ),
        offers=tuple(sorted(draw(st.lists(st.sampled_from(tags[:6]), max_size=3, unique=True)))),
        needs=tuple(sorted(draw(st.lists(st.sampled_from(tags[:6]), max_size=2, unique=True)))),
        maturity=draw(st.sampled_from(list(Maturity))),
        **draw(entity_facts()),
    )


def entity_facts() -> st.SearchStrategy[dict[str, object]]:
    """What today's calls read of an organisation, each stated or not: who controls it (one of
    two outside holdings, or an organisation ``o0``/``o1`` of a drawn pool), non-profit, public
    body, SME, and a 2021-2027 region category."""
    answer = st.sampled_from((None, True, False))
    return st.fixed_dictionaries(
        {
            "controlled_by": st.sampled_from((None, None, "Holding A", "Holding B", "o0", "o1")),
            "non_profit": answer,
            "public_body": answer,
            "sme": answer,
            "region_category_2021": st.sampled_from((None, *DEVELOPMENT)),
        }
    )


@st.composite
def pools(
    draw: st.DrawFn,
    min_size: int = 1,
    max_size: int = 10,
    *,
    eligible_share: float | None = None,
    countries: Sequence[str] | None = None,
    sectors: Sequence[str] | None = ("digital", "health", "tourism", "agri-food", "textile"),
    name: str = "drawn",
) -> Pool:
    """A pool of ``min_size`` to ``max_size`` organisations with ids ``o0``, ``o1``, …

    ``eligible_share``: the share of organisations eligible for the 2018 call (rounded; by default
    each one is drawn either way). ``countries``: eligible organisations come from these COSME
    countries only. ``sectors``: the sector ids drawn from (default: five ecosystems, so members
    share sectors often; ``None`` for the whole taxonomy).
    """
    if not 0 <= min_size <= max_size:
        raise ValueError("expected 0 <= min_size <= max_size")
    if eligible_share is not None and not 0.0 <= eligible_share <= 1.0:
        raise ValueError("eligible_share must lie in [0, 1]")
    n = draw(st.integers(min_size, max_size))
    flags: list[bool | None] = [None] * n
    if eligible_share is not None:
        k = round(eligible_share * n)
        flags = [i < k for i in range(n)]
    orgs = [
        draw(organisations(f"o{i}", eligible=flag, countries=countries, sectors=sectors))
        for i, flag in enumerate(flags)
    ]
    return Pool(name=name, organisations=tuple(orgs))


ConsortiumRule = MinDistinct | MinCount | MaxPerValue | Size | MinIndependent | Coordinator


def todays_rules() -> st.SearchStrategy[ConsortiumRule]:
    """A rule of the kinds today's calls need: independence, the coordinator's conditions,
    alternatives (``or_else``), distinct values among a set."""
    lagging = ("less_developed", "transition")
    or_outermost = ({"field": "outermost", "values": ("yes",)},)
    on = {"on": date(2025, 6, 1)}
    return st.one_of(
        st.builds(
            lambda k, field, scoped: MinIndependent.model_validate(
                {
                    "id": "r",
                    "min": k,
                    "field": field,
                    **({"values": "@horizon"} if scoped and field == "country" else {}),
                },
                context=on,
            ),
            st.integers(1, 3),
            st.sampled_from(("country", "nuts2")),
            st.booleans(),
        ),
        st.integers(1, 3).map(lambda k: MinIndependent(id="r", min=k, field=None)),
        st.sampled_from(
            (
                (("non_profit", ("yes",)),),
                (("non_profit", ("yes",)), ("region_category_2021", ("more_developed",))),
                (("public_body", ("yes",)), ("country", ("DE", "FR", "IT"))),
            )
        ).map(
            lambda tests: Coordinator.model_validate(
                {"id": "r", "conditions": [{"field": f, "values": v} for f, v in tests]}
            )
        ),
        st.integers(1, 2).map(
            lambda k: MinCount.model_validate(
                {
                    "id": "r",
                    "field": "region_category_2021",
                    "values": lagging,
                    "or_else": or_outermost,
                    "min": k,
                }
            )
        ),
        st.integers(1, 3).map(
            lambda k: MinDistinct.model_validate(
                {"id": "r", "field": "country", "min": k, "values": "@eu"}, context=on
            )
        ),
    )


def rules(max_size: int = 6) -> st.SearchStrategy[ConsortiumRule]:
    """One consortium rule of the call-model vocabulary (ids are filled in by :func:`calls`)."""
    lagging = ("less_developed", "transition")
    return st.one_of(
        st.integers(1, 4).map(lambda k: MinDistinct(id="r", field="country", min=k)),
        st.integers(1, 2).map(
            lambda k: MinCount(id="r", field="region_category", values=lagging, min=k)
        ),
        st.integers(1, 3).map(lambda k: MaxPerValue(id="r", field="country", max=k)),
        st.integers(1, 3).map(lambda k: MinDistinct(id="r", field="sectors", min=k)),
        st.integers(1, 2).map(
            lambda k: MinCount(
                id="r", field="organisation_type", values=("cluster_organisation",), min=k
            )
        ),
        st.integers(1, 3).map(lambda k: MinDistinct(id="r", field="maturity", min=k)),
        st.integers(2, max_size).map(lambda k: Size(id="r", min=1, max=k)),
        todays_rules(),
    )


@st.composite
def calls(
    draw: st.DrawFn, max_rules: int = 3, max_size: int = 6, member_filters: bool | None = None
) -> Call:
    """A valid call model: the 2018 call's member filters (COSME country, organisation type, ECCP;
    always with ``member_filters=True``, never with ``False``, either by default), up to
    ``max_rules`` consortium rules of the vocabulary, random non-negative weights (``size`` may be
    negative), and a search range within 1..``max_size``."""
    filters = []
    if member_filters is None:
        member_filters = draw(st.booleans().map(lambda b: not b))
    if member_filters:
        filters = [
            MemberIn(id="cosme-country", field="country", values="@cosme-2018"),
            MemberIn(
                id="cluster-type",
                field="organisation_type",
                values=("cluster_organisation", "business_network_organisation"),
            ),
            MemberIn(id="on-eccp", field="eccp_status", values=("registered", "applied")),
        ]
    drawn = draw(st.lists(rules(max_size), max_size=max_rules))
    consortium_rules = [r.model_copy(update={"id": f"rule-{k}"}) for k, r in enumerate(drawn)]
    weight = st.sampled_from((0.0, 0.5, 1.0, 2.0))
    objective = Objective(
        sector_links=draw(weight),
        needs_met=draw(weight),
        countries=draw(weight),
        development_mix=draw(weight),
        maturity_mix=draw(weight),
        size=draw(st.sampled_from((-0.5, 0.0, -1.0, 0.5))),
    )
    low = draw(st.integers(1, max_size))
    high = draw(st.integers(low, max_size))
    return Call(
        id="drawn-call",
        title="a drawn call model",
        rules=(*filters, *consortium_rules),
        objective=objective,
        search=Search(min_size=low, max_size=high),
    )


def consortia(
    pool: Pool, min_size: int = 1, max_size: int | None = None
) -> st.SearchStrategy[tuple[str, ...]]:
    """Member ids of a would-be consortium of the pool (distinct, in pool order; not necessarily
    eligible — judge it with :func:`consortium_solver.validate.check`)."""
    ids = [o.id for o in pool.organisations]
    top = len(ids) if max_size is None else min(max_size, len(ids))
    if min_size > top:
        raise ValueError("the pool has fewer organisations than min_size")
    return (
        st.lists(st.sampled_from(range(len(ids))), min_size=min_size, max_size=top, unique=True)
        .map(sorted)
        .map(lambda idx: tuple(ids[i] for i in idx))
    )


# ------------------------------------------------------------------------------- ClusterXchange

_TOPICS = ("ai", "iot", "robotics", "textiles", "biotech", "logistics")


@st.composite
def participants(
    draw: st.DrawFn, participant_id: str = "p1", partnerships: Sequence[str] = ("P1",)
) -> Participant:
    """A ClusterXchange participant in a COSME country (a NUTS-2 region with a point, or a
    country-level place given by coordinates), of any type and role, travelling in one of two
    months or unsaid, hosting one, two or any number at once."""
    located = [(c, code) for c, code, _ in _places() if code in reference.region_points()]
    country, nuts2 = draw(st.sampled_from(located))
    role = draw(st.sampled_from(list(Role)))
    kind = draw(st.sampled_from(list(ParticipantType)))
    topics = st.lists(st.sampled_from(_TOPICS), max_size=3, unique=True).map(tuple)
    return Participant(
        id=participant_id,
        name=f"Participant {participant_id}",
        country=country,
        nuts2=nuts2,
        participant_type=kind,
        role=role,
        partnership=draw(st.sampled_from(list(partnerships))),
        sectors=tuple(
            draw(st.lists(st.sampled_from(list(reference.sectors())), max_size=2, unique=True))
        ),
        offers=draw(topics),
        seeks=draw(topics),
        capacity=draw(st.integers(0, 3)),
        working_days=draw(st.integers(1, 30)),
        period=draw(st.sampled_from([None, "2021-05", "2021-06"])),
        at_once=draw(st.sampled_from([None, 1, 2])),
        cluster_member=draw(st.sampled_from([None, True, False])),
        **draw(st.sampled_from(_WINDOWS)),
        unavailable=draw(st.sampled_from(_CLOSED)),
        mode=draw(st.sampled_from(["on site", "on site", "virtual", "either"])),
    )


# Travel windows a visitor may give (none, two weeks, three days) and a host's closed days (none,
# the first week of the windows): some stays fit, some do not.
_WINDOWS: list[dict[str, date]] = [
    {},
    {"travel_from": date(2021, 5, 3), "travel_to": date(2021, 5, 14)},
    {"travel_from": date(2021, 5, 3), "travel_to": date(2021, 5, 5)},
]
_CLOSED: list[tuple[tuple[date, date], ...]] = [(), ((date(2021, 5, 3), date(2021, 5, 7)),)]


@st.composite
def exchange_pools(
    draw: st.DrawFn, min_size: int = 2, max_size: int = 8, budgets: bool | None = None
) -> ExchangePool:
    """An exchange pool of ``min_size`` to ``max_size`` participants and one to three partnerships,
    with budgets (``budgets=True``), without (``False``) or either."""
    n_partnerships = draw(st.integers(1, 3))
    ids = [f"P{k}" for k in range(1, n_partnerships + 1)]
    with_budgets = draw(st.booleans()) if budgets is None else budgets
    n = draw(st.integers(min_size, max_size))
    people = [draw(participants(f"p{k}", ids)) for k in range(1, n + 1)]
    return ExchangePool(
        name="drawn",
        partnerships=tuple(
            Partnership(
                id=p,
                name=f"Partnership {p}",
                # amounts below the cent too: rounded once on the way in (core.money)
                budget=draw(
                    st.sampled_from([0.0, 390.0, 780.0, 1170.0, 2340.0, 1169.996, 390.005, 780.004])
                )
                if with_budgets
                else None,
                # host-only types the partnership admits (None: every one the scheme admits)
                admits=draw(st.sampled_from([None, (), (ParticipantType.LARGE_COMPANY,)])),
            )
            for p in ids
        ),
        participants=tuple(people),
    )


@st.composite
def schemes(draw: st.DrawFn) -> Scheme:
    """Variants of the packaged ClusterXchange scheme: durations, halving thresholds, ceilings,
    admitted types and the objective's weights drawn around the packaged values."""
    base = load_scheme()
    low = draw(st.integers(1, 5))
    weights = st.sampled_from([0.0, 0.5, 1.0, 2.0, 10.0])
    visitor_types = draw(
        st.lists(st.sampled_from(list(ParticipantType)), min_size=1, max_size=4, unique=True)
    )
    return base.model_copy(
        update={
            "min_working_days": low,
            "max_working_days": draw(st.integers(low, 30)),
            "halve_below_working_days": draw(st.integers(0, 8)),
            "halve_below_km": draw(st.sampled_from([0.0, 200.0, 800.0])),
            "default_ceiling": draw(st.sampled_from([0.0, 500.0, 780.0, 780.01, 780.005, 389.999])),
            "virtual_lump_sum": draw(st.sampled_from([None, 150.0, 0.0])),
            "ceilings": {},
            "visitor_types": tuple(visitor_types),
            "member_types": tuple(draw(st.sampled_from([(), (ParticipantType.SME,)]))),
            "host_types": tuple(
                draw(st.lists(st.sampled_from(list(ParticipantType)), min_size=1, unique=True))
            ),
            "objective": ExchangeObjective(
                exchange=draw(st.sampled_from([1.0, 10.0])),
                fit=draw(weights),
                shared_sector=draw(weights),
                lagging=draw(weights),
                full_lump_sum=draw(weights),
            ),
        }
    )
