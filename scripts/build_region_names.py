"""Rebuild ``consortium_solver/reference/data/compiled_region_names.csv``: every name an organiser may
type for a region, with the NUTS-2 region(s) it stands for.

Developer tool, never run by the package:
``python scripts/build_region_names.py ../shared/reference/raw``. Inputs (each with its source note in
the team's reference folder): ``compiled_nuts2_codes_names_2013_2016_2021_2024.csv`` (NUTS-2 names of
every version), ``Eurostat_NUTS2021.xlsx`` (sheet 'NUTS & SR 2021': NUTS-1 and NUTS-3 names of
2021), ``Eurostat_NUTS2013-NUTS2016.xlsx`` (NUTS-3 names of 2013 and 2016), ``Eurostat_NUTS2021-NUTS2024.xlsx``
(NUTS-3 names of 2024 and the Latin transliterations of Greek and Cyrillic labels), and the GISCO NUTS-2 outlines of 2016 and 2021 for the Latin transliterations (``NAME_LATN``) of
labels in Greek and Cyrillic script. A NUTS-3 name stands for its parent NUTS-2 region (the first four characters of its code); a
NUTS-1 name for all its NUTS-2 regions (an ambiguous answer the importer turns into suggestions).
"""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

import openpyxl

OUT = Path(__file__).resolve().parent.parent / "consortium_solver" / "reference" / "data"
NAME = "compiled_region_names.csv"
EUROSTAT_TO_ISO = {"EL": "GR", "UK": "GB"}


def main(raw: Path) -> None:
    known: set[str] = set()
    with open(OUT / "nuts2_regions.csv", encoding="utf-8") as f:
        known = {row["code"] for row in csv.DictReader(f)}
    rows: dict[tuple[str, str], set[str]] = defaultdict(set)  # (name, level) -> NUTS-2 codes
    with open(raw / "compiled_nuts2_codes_names_2013_2016_2021_2024.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["nuts_code"] in known:
                rows[(row["name"].strip(), "nuts2")].add(row["nuts_code"])
    workbook = openpyxl.load_workbook(raw / "Eurostat_NUTS2021.xlsx", read_only=True)
    sheet = workbook["NUTS & SR 2021"]
    for values in sheet.iter_rows(min_row=2, values_only=True):
        code, _country, level1, _level2, level3 = (str(v).strip() if v else "" for v in values[:5])
        if not code:
            continue
        if len(code) == 5 and level3 and code[:4] in known:
            rows[(level3, "nuts3")].add(code[:4])
        elif len(code) == 3 and level1:
            children = sorted(c for c in known if c.startswith(code) and len(c) == 4)
            if children and not code.endswith("Z"):
                rows[(level1, "nuts1")].update(children)
    add_other_versions(raw, known, rows)
    # Latin transliterations of NUTS-2 labels in Greek and Cyrillic script (GISCO's NAME_LATN).
    for geo in (
        "GISCO_NUTS_RG_60M_2021_4326_LEVL_2.geojson",
        "GISCO_NUTS_RG_60M_2016_4326_LEVL_2.geojson",
    ):
        for feature in json.loads((raw / geo).read_text(encoding="utf-8"))["features"]:
            props = feature["properties"]
            latin = props.get("NAME_LATN")
            if latin and props["NUTS_ID"] in known and latin != props.get("NUTS_NAME"):
                rows[(latin.strip(), "nuts2")].add(props["NUTS_ID"])
    with open(OUT / NAME, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["name", "level", "nuts2"])
        for (name, level), codes in sorted(rows.items()):
            writer.writerow([name, level, ";".join(sorted(codes))])
    print(f"{len(rows)} names written to {OUT / NAME}")


def add_other_versions(raw: Path, known: set[str], rows: dict[tuple[str, str], set[str]]) -> None:
    """NUTS-3 names of 2013, 2016 and 2024 (each standing for its parent NUTS-2 region of the same
    version), and Eurostat's Latin transliterations of the Greek and Cyrillic labels of 2024."""
    old = openpyxl.load_workbook(raw / "Eurostat_NUTS2013-NUTS2016.xlsx", read_only=True)
    for values in old["NUTS2013-NUTS2016"].iter_rows(min_row=3, values_only=True):
        label = str(values[6]).strip() if values[6] else ""
        for code in (values[1], values[2]):
            code = str(code).strip() if code else ""
            if len(code) == 5 and label and code[:4] in known:
                rows[(label, "nuts3")].add(code[:4])
    new = openpyxl.load_workbook(raw / "Eurostat_NUTS2021-NUTS2024.xlsx", read_only=True)
    for title in ("NUTS2024", "Statistical Regions"):
        for values in new[title].iter_rows(min_row=2, values_only=True):
            code, label = (str(v).strip() if v else "" for v in values[1:3])
            if len(code) == 5 and label and code[:4] in known:
                rows[(label, "nuts3")].add(code[:4])
    for values in new["Cyrillic & Greek to Latin"].iter_rows(min_row=2, values_only=True):
        code, latin = (str(v).strip() if v else "" for v in (values[0], values[2]))
        if latin and len(code) == 5 and code[:4] in known:
            rows[(latin, "nuts3")].add(code[:4])
        elif latin and len(code) == 4 and code in known:
            rows[(latin, "nuts2")].add(code)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/reference/raw"))
