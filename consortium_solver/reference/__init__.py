"""Packaged reference data and its cached loaders.

Every file in ``data/`` has a ``.source.txt`` note beside it saying where it comes from. Nothing here
reads outside the package.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

# Eurostat writes Greece as EL and the United Kingdom as UK; ISO 3166-1 says GR and GB.
EUROSTAT_TO_ISO = {"EL": "GR", "UK": "GB"}
ISO_TO_EUROSTAT = {iso: eurostat for eurostat, iso in EUROSTAT_TO_ISO.items()}


@dataclass(frozen=True)
class Region:
    """A NUTS-2 region (or statistical level-2 region) as the package knows it."""

    code: str
    name: str
    country: str  # ISO 3166-1 alpha-2
    versions: tuple[str, ...]  # NUTS versions listing the code: 2013, 2016, 2021, 2024
    category: str | None  # 2014-2020 cohesion-policy category, None where none applies


@dataclass(frozen=True)
class Sector:
    """One sector of a taxonomy: a stable id and its display name."""

    number: int
    id: str
    name: str


def read_csv(name: str, delimiter: str = ",") -> list[dict[str, str]]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


@cache
def countries() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code (plus XK, Kosovo) -> English name."""
    return {row["code"]: row["name"] for row in read_csv("iso3166_countries.tsv", "\t")}


@cache
def cosme_countries_2018() -> dict[str, str]:
    """Countries participating in COSME in 2018 (EU28 and 11 others), ISO code -> name."""
    rows = read_csv("compiled_cosme_participating_countries_2018.csv")
    return {row["iso2"]: row["name"] for row in rows}


@cache
def eu28_countries() -> frozenset[str]:
    """The 28 EU member states of 2018 (ISO codes)."""
    rows = read_csv("compiled_cosme_participating_countries_2018.csv")
    return frozenset(row["iso2"] for row in rows if row["status"].startswith("EU Member State"))


@cache
def regions() -> dict[str, Region]:
    """NUTS-2 code (any of the versions 2013, 2016, 2021, 2024) -> region."""
    return {
        row["code"]: Region(
            code=row["code"],
            name=row["name"],
            country=row["country"],
            versions=tuple(row["versions"].split(";")),
            category=row["category_2014_2020"] or None,
        )
        for row in read_csv("nuts2_regions.csv")
    }


@cache
def official_categories() -> dict[str, tuple[str, float]]:
    """The official 2014-2020 list as published: decision code -> (category, population in thousands).

    Codes are those of Commission Implementing Decision 2014/99/EU (NUTS 2006; Croatia NUTS 2013).
    """
    names = {"LD": "less_developed", "TR": "transition", "MD": "more_developed"}
    return {
        row["nuts_id"]: (names[row["catg"]], float(row["population"]))
        for row in read_csv("Regions_by_cohesion_policy_category_2014-2020_20250408.csv")
    }


@cache
def decision_parents() -> dict[str, tuple[str, ...]]:
    """NUTS 2021 code -> the decision codes (NUTS 2006) it was carried from."""
    out: dict[str, tuple[str, ...]] = {}
    for row in read_csv("compiled_cohesion_category_2014_2020_by_nuts_version.csv"):
        if row["nuts_version"] == "2021":
            out[row["nuts_code"]] = tuple(re.split(r"[\s;+]+", row["decision_codes"].strip()))
    return out


@dataclass(frozen=True)
class Membership:
    """A country on a programme's list from ``since`` until ``until`` (inclusive; None: still)."""

    country: str
    since: date
    until: date | None
    scope: str  # the part of the programme: all | Pillar II | all except EIC Fund

    def on(self, day: date) -> bool:
        return self.since <= day and (self.until is None or day <= self.until)


@cache
def programme_lists() -> dict[str, tuple[Membership, ...]]:
    """The countries of each programme list (eu, horizon-associated, erasmus-associated,
    interreg-europe-partner), each with the dates it counts."""
    out: dict[str, list[Membership]] = {}
    for row in read_csv("programme_countries.csv"):
        until = date.fromisoformat(row["until"]) if row["until"] else None
        member = Membership(row["iso2"], date.fromisoformat(row["since"]), until, row["scope"])
        out.setdefault(row["list"], []).append(member)
    return {name: tuple(members) for name, members in out.items()}


def countries_on(name: str, day: date, scopes: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The countries of a programme list on a day (sorted ISO codes); ``scopes``: the parts of the
    programme that count besides the whole ("all")."""
    wanted = ("all", "all except EIC Fund", *scopes)
    return tuple(
        sorted({m.country for m in programme_lists()[name] if m.on(day) and m.scope in wanted})
    )


@cache
def outermost_regions() -> frozenset[str]:
    """NUTS-2 codes (every version) of the outermost regions named by TFEU art. 349."""
    return frozenset(row["code"] for row in read_csv("outermost_regions.csv"))


@cache
def sectors() -> dict[str, Sector]:
    """The default sector taxonomy, the 14 EU industrial ecosystems: id -> sector."""
    return {
        row["id"]: Sector(number=int(row["number"]), id=row["id"], name=row["name"])
        for row in read_csv("eu_industrial_ecosystems_14.csv")
    }


@cache
def competences() -> dict[str, str]:
    """The package's own vocabulary of competence tags (for generated pools): id -> description."""
    return {row["id"]: row["name"] for row in read_csv("competences.csv")}


@cache
def region_points() -> dict[str, tuple[float, float]]:
    """NUTS-2 code -> a representative point (latitude, longitude; WGS84): the GISCO label point of
    NUTS 2021, else of 2024, else Eurostat's Nuts2json point of 2016 (a code of 2013 alone has
    none). Used for distances between organisations that give no coordinates of their own."""
    order = {"2021": 0, "2024": 1, "2016": 2}
    out: dict[str, tuple[int, float, float]] = {}
    for row in read_csv("compiled_nuts2_points_2016_2021_2024.csv"):
        rank = order[row["nuts_version"]]
        code = row["nuts_code"]
        if code not in out or rank < out[code][0]:
            out[code] = (rank, float(row["lat"]), float(row["lon"]))
    return {code: (lat, lon) for code, (_, lat, lon) in out.items()}


@cache
def region_outlines() -> dict[str, list[list[tuple[float, float]]]]:
    """NUTS-2 code -> its outline: polygons of (longitude, latitude) points (GISCO, 1:60 million;
    NUTS 2021, else 2016). For drawing maps only."""
    import json

    text = resources.files(__package__).joinpath("data", "compiled_nuts2_outlines_60m.json")
    data = json.loads(text.read_text(encoding="utf-8"))
    return {
        code: [[(float(x), float(y)) for x, y in ring] for ring in rings]
        for code, rings in data.items()
    }


def normalise_country(code: str) -> str:
    """Upper-case a country code and map Eurostat's EL and UK to ISO's GR and GB."""
    code = code.strip().upper()
    return EUROSTAT_TO_ISO.get(code, code)
