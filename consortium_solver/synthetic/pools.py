"""Seeded synthetic pools drawn on the packaged real reference data.

The same arguments always give the same pool (``random.Random(seed)``, sorted iteration, no clock).
EU regions are drawn with weights proportional to their population in the official 2014-2020 category
list; organisations outside the EU come from the other COSME countries of 2018; a share of
organisations is made ineligible for the 2018 call in one way each (country, type or ECCP status).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from consortium_solver import reference
from consortium_solver.core.errors import InputError
from consortium_solver.domain import (
    EccpStatus,
    Maturity,
    Organisation,
    OrganisationType,
    Pool,
)
from consortium_solver.domain.fields import LAGGING

# Countries outside COSME in 2018, for ineligible organisations.
NON_COSME = ("CH", "NO", "IL", "US")
MATURITY_WEIGHTS = {
    Maturity.NONE: 0.50,
    Maturity.BRONZE: 0.30,
    Maturity.SILVER: 0.15,
    Maturity.GOLD: 0.05,
}
KINDS = ("Cluster", "Innovation Cluster", "Cluster Alliance", "Business Network", "Competence Hub")


@dataclass(frozen=True)
class _Place:
    country: str
    nuts2: str | None
    label: str
    weight: float
    category: str | None


def _eu_places() -> list[_Place]:
    """NUTS 2021 regions of the EU28 with their share of the decision regions' population."""
    official = reference.official_categories()
    parents = reference.decision_parents()
    children = Counter(p for codes in parents.values() for p in codes)
    places = []
    for code in sorted(parents):
        region = reference.regions()[code]
        weight = sum(official[p][1] / children[p] for p in parents[code] if p in official)
        places.append(_Place(region.country, code, _short(region.name), weight, region.category))
    return places


def _other_places(countries: tuple[str, ...]) -> list[_Place]:
    """Regions (or whole countries, where no NUTS-2 code exists) of non-EU countries, equal weight per country."""
    by_country: dict[str, list[str]] = {c: [] for c in countries}
    for code, region in sorted(reference.regions().items()):
        if region.country in by_country and "2024" in region.versions:
            by_country[region.country].append(code)
    places = []
    names = reference.countries()
    for country in countries:
        codes = by_country[country]
        if not codes:
            places.append(_Place(country, None, names[country], 1.0, None))
        for code in codes:
            label = _short(reference.regions()[code].name)
            places.append(_Place(country, code, label, 1.0 / len(codes), None))
    return places


def _check_countries(countries: tuple[str, ...]) -> frozenset[str]:
    """The ISO codes of the countries named: codes or names as the importer reads them
    ("PL", "Polska", "Czech Republic", "UK"), each a COSME country of 2018."""
    from consortium_solver.reference.places import country_suggestions, find_country

    cosme = reference.cosme_countries_2018()
    out = set()
    for text in countries:
        code = find_country(text)
        if code is None:
            close = country_suggestions(text)
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            raise InputError(
                f"unknown country (a name or an ISO 3166-1 code){hint}",
                field="countries",
                value=text,
            )
        if code not in cosme:
            raise InputError(
                "not a COSME participating country of 2018 (eligible organisations come from"
                " those; a share of ineligible ones is drawn anyway)",
                field="countries",
                value=text,
            )
        out.add(code)
    return frozenset(out)


def _check_sectors(sectors: tuple[str, ...]) -> tuple[str, ...]:
    known = reference.sectors()
    for sector in sectors:
        if sector not in known:
            raise InputError(
                "unknown sector id (see `consortium sectors`)", field="sectors", value=sector
            )
    return tuple(dict.fromkeys(sectors))


def _short(name: str) -> str:
    return name.split(" / ")[0].split(" (")[0].strip()


def generate_pool(
    n: int,
    seed: int,
    *,
    name: str | None = None,
    id_prefix: str = "org",
    lagging_share: float | None = None,
    ineligible_share: float = 0.1,
    non_eu_share: float = 0.1,
    countries: tuple[str, ...] | None = None,
    sectors: tuple[str, ...] | None = None,
    entities: bool = False,
) -> Pool:
    """Draw a pool of ``n`` organisations.

    Args:
        n: number of organisations (at least 1).
        seed: the random seed; the same arguments give the same pool.
        name: the pool's name (default ``synthetic-n{n}-s{seed}``).
        id_prefix: ids are ``{id_prefix}-{i:03d}``.
        lagging_share: share of EU organisations in less developed or transition regions; by
            default the population share.
        ineligible_share: share of organisations made ineligible for the 2018 call.
        non_eu_share: share of eligible organisations from COSME countries outside the EU.
        countries: draw eligible organisations only from these COSME countries of 2018.
        sectors: draw sectors only from these ids of the packaged taxonomy.
        entities: also state what today's calls read (:func:`with_entities`), from a random
            stream of its own (the rest of the pool is the same with or without).

    Raises:
        InputError: a count or share out of range, an unknown or non-COSME country, an unknown
            sector id, or a lagging share that the chosen countries cannot give.
    """
    if n < 1:
        raise InputError("at least 1 organisation", field="n", value=n)
    for label, share in (
        ("lagging_share", lagging_share),
        ("ineligible_share", ineligible_share),
        ("non_eu_share", non_eu_share),
    ):
        if share is not None and not 0.0 <= share <= 1.0:
            raise InputError("a share between 0 and 1", field=label, value=share)
    draw = _Draw(
        rng=random.Random(seed),
        places=_Places.chosen(countries, lagging_share),
        lagging_share=lagging_share,
        ineligible_share=ineligible_share,
        non_eu_share=non_eu_share,
        sector_ids=sorted(_check_sectors(sectors) if sectors else reference.sectors()),
        competence_ids=sorted(reference.competences()),
    )
    width = max(3, len(str(n)))
    organisations = [draw.organisation(f"{id_prefix}-{i:0{width}d}") for i in range(1, n + 1)]
    if entities:
        organisations = with_entities(organisations, random.Random(f"entities-{seed}"))
    return Pool(
        name=name or f"synthetic-n{n}-s{seed}",
        description=(
            f"Synthetic pool of {n} organisations drawn by consortium-solver (seed {seed}) on real"
            " NUTS-2 regions and their 2014-2020 cohesion-policy categories; the organisations"
            " are invented."
            + (
                " Control, non-profit, public body, SME and the 2021-2027 category (a synthetic"
                " one: the region's 2014-2020 category) are drawn too."
                if entities
                else ""
            )
        ),
        organisations=tuple(organisations),
    )


def with_entities(orgs: list[Organisation], rng: random.Random) -> list[Organisation]:
    """The organisations with the facts today's calls read, drawn: non-profit (85 %), public body
    (15 %), SME (10 %); a 2021-2027 region category — synthetic, the region's 2014-2020 one, as the
    package has no table of Decision (EU) 2021/1130 —; and control: about 8 % are controlled by
    another organisation of the pool (mostly of the same country), 4 % in pairs under an outside
    holding."""
    by_country: dict[str, list[str]] = {}
    for org in orgs:
        by_country.setdefault(org.country, []).append(org.id)
    ids = [o.id for o in orgs]
    out = []
    holdings = 0
    for org in orgs:
        controller: str | None = None
        roll = rng.random()
        if roll < 0.08 and len(ids) > 1:
            same = [i for i in by_country[org.country] if i != org.id]
            pool = same if same and rng.random() < 0.7 else [i for i in ids if i != org.id]
            controller = rng.choice(pool)
        elif roll < 0.12:
            holdings += 1
            controller = f"Holding {(holdings + 1) // 2}"  # two organisations per holding
        category = None if org.nuts2 is None else reference.regions()[org.nuts2].category
        update = {
            "non_profit": rng.random() < 0.85,
            "public_body": rng.random() < 0.15,
            "sme": rng.random() < 0.10,
            "region_category_2021": category,
            "controlled_by": controller,
        }
        out.append(Organisation.model_validate({**org.model_dump(), **update}))
    return out


@dataclass(frozen=True)
class _Places:
    """Where organisations are drawn: EU regions (lagging or developed), the other COSME countries,
    and countries outside COSME (for the ineligible)."""

    eu: list[_Place]
    lagging: list[_Place]
    developed: list[_Place]
    others: list[_Place]
    outside: list[_Place]

    @staticmethod
    def chosen(countries: tuple[str, ...] | None, lagging_share: float | None) -> _Places:
        chosen = _check_countries(countries) if countries else None
        eu = [p for p in _eu_places() if chosen is None or p.country in chosen]
        lagging = [p for p in eu if p.category in LAGGING]
        developed = [p for p in eu if p.category not in LAGGING]
        non_eu_cosme = tuple(
            c
            for c in sorted(reference.cosme_countries_2018())
            if c not in reference.eu28_countries() and (chosen is None or c in chosen)
        )
        if lagging_share is not None and eu:
            if lagging_share > 0 and not lagging:
                raise InputError(
                    "no less developed or transition region in the chosen EU countries",
                    field="lagging_share",
                    value=lagging_share,
                )
            if lagging_share < 1 and not developed:
                raise InputError(
                    "only less developed or transition regions in the chosen EU countries",
                    field="lagging_share",
                    value=lagging_share,
                )
        others = _other_places(non_eu_cosme)
        return _Places(eu, lagging, developed, others, _other_places(NON_COSME))


@dataclass
class _Draw:
    """The random draws of one pool, organisation after organisation."""

    rng: random.Random
    places: _Places
    lagging_share: float | None
    ineligible_share: float
    non_eu_share: float
    sector_ids: list[str]
    competence_ids: list[str]
    used_names: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        if not self.places.eu:
            self.non_eu_share = 1.0  # only non-EU countries chosen
        elif not self.places.others:
            self.non_eu_share = 0.0

    def pick(self, places: list[_Place]) -> _Place:
        return self.rng.choices(places, weights=[p.weight for p in places])[0]

    def place(self, defect: str | None) -> _Place:
        rng, places = self.rng, self.places
        if defect == "country":
            return self.pick(places.outside)
        if rng.random() < self.non_eu_share:
            return self.pick(places.others)
        if self.lagging_share is not None:
            lagging = rng.random() < self.lagging_share
            return self.pick(places.lagging if lagging else places.developed)
        return self.pick(places.eu)

    def organisation(self, org_id: str) -> Organisation:
        rng = self.rng
        defect = (
            rng.choice(("country", "type", "eccp"))
            if rng.random() < self.ineligible_share
            else None
        )
        place = self.place(defect)
        org_type = rng.choices(
            (OrganisationType.CLUSTER_ORGANISATION, OrganisationType.BUSINESS_NETWORK_ORGANISATION),
            weights=(0.8, 0.2),
        )[0]
        if defect == "type":
            org_type = OrganisationType.OTHER
        eccp = EccpStatus.REGISTERED if rng.random() < 0.75 else EccpStatus.APPLIED
        if defect == "eccp":
            eccp = EccpStatus.NONE
        k = min(rng.choices((1, 2, 3), weights=(0.4, 0.4, 0.2))[0], len(self.sector_ids))
        drawn = rng.sample(self.sector_ids, k)
        offers = rng.sample(self.competence_ids, rng.randint(1, 3))
        needs = rng.sample([c for c in self.competence_ids if c not in offers], rng.randint(1, 2))
        maturity = rng.choices(list(MATURITY_WEIGHTS), weights=list(MATURITY_WEIGHTS.values()))[0]
        kind = (
            "Business Network"
            if org_type is OrganisationType.BUSINESS_NETWORK_ORGANISATION
            else (rng.choice(KINDS))
        )
        title = f"{place.label} {reference.sectors()[drawn[0]].name} {kind}"
        self.used_names[title] += 1
        if self.used_names[title] > 1:
            title += f" {self.used_names[title]}"
        return Organisation(
            id=org_id,
            name=title,
            country=place.country,
            nuts2=place.nuts2,
            organisation_type=org_type,
            eccp_status=eccp,
            sectors=tuple(drawn),
            offers=tuple(sorted(offers)),
            needs=tuple(sorted(needs)),
            maturity=maturity,
        )
