"""Rebuild the packaged reference data from the team's raw reference folder.

Developer tool, never run by the package: ``python scripts/build_reference.py ../shared/reference/raw``.
It writes ``consortium_solver/reference/data/nuts2_regions.csv`` (one row per NUTS-2 code of version
2013, 2016, 2021 or 2024, with the 2014-2020 cohesion-policy category where one applies) and copies the
other files the package needs, each with its ``.source.txt`` note.
"""

from __future__ import annotations

import csv
import shutil
import sys
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "consortium_solver" / "reference" / "data"

COPIED = [
    "compiled_cosme_participating_countries_2018.csv",
    "Regions_by_cohesion_policy_category_2014-2020_20250408.csv",
    "compiled_cohesion_category_2014_2020_by_nuts_version.csv",
    "compiled_eu_industrial_ecosystems_14.csv",
]

# NUTS 2024 codes that are new (Eurostat_NUTS2021-NUTS2024.xlsx, sheets 'NUTS2021- NUTS2024' and
# 'Changes NUTS-2'): each is built from parts of 2021 regions; the category is carried over only when
# all of those parents share one.
NEW_2024_PARENTS = {
    "NL35": ("NL31", "NL33"),  # Utrecht, boundary shift between ex-NL310 and ex-NL33A
    "NL36": ("NL33",),  # Zuid-Holland
    "PT19": ("PT16",),  # Centro (PT), ex-PT16 less the part moved to PT1D
    "PT1A": ("PT17",),  # Grande Lisboa, PT1A + PT1B = ex-PT17
    "PT1B": ("PT17",),  # Península de Setúbal
    "PT1C": ("PT18",),  # Alentejo, ex-PT18 less the part moved to PT1D
    "PT1D": ("PT16", "PT18"),  # Oeste e Vale do Tejo, from parts of ex-PT16 and ex-PT18
}


def main(raw: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        shutil.copyfile(raw / name, OUT / name)
        shutil.copyfile(raw / f"{name}.source.txt", OUT / f"{name}.source.txt")

    names: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    with open(raw / "compiled_nuts2_codes_names_2013_2016_2021_2024.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["extra_regio"] == "True":
                continue  # extra-regio (xxZZ) codes: no organisation is established there
            names[row["nuts_code"]][row["nuts_version"]] = (row["name"], row["country_iso2"])
    # Statistical regions of 2024 (e.g. XK00 Kosovo) are only in the points file.
    eurostat_to_iso = {"EL": "GR", "UK": "GB"}
    with open(raw / "compiled_nuts2_points_2016_2021_2024.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code, version = row["nuts_code"], row["nuts_version"]
            if version not in names[code]:
                country = eurostat_to_iso.get(row["country"], row["country"])
                names[code][version] = (row["name"], country)

    category: dict[str, str] = {}
    derivation: dict[str, str] = {}
    with open(
        raw / "compiled_cohesion_category_2014_2020_by_nuts_version.csv", encoding="utf-8"
    ) as f:
        for row in csv.DictReader(f):
            version = row["nuts_version"]
            if version not in {"2013", "2016", "2021"}:
                continue  # the decision's NUTS 2006 codes are not accepted as input codes
            code, cat = row["nuts_code"], row["category_2014_2020"]
            if category.setdefault(code, cat) != cat:
                raise SystemExit(f"{code}: category differs between NUTS versions")
            derivation.setdefault(code, f"compiled file, NUTS {version}: {row['derivation']}")

    for code, versions in names.items():
        if code in category or "2024" not in versions:
            continue
        if code in NEW_2024_PARENTS:
            parents = {category.get(p) for p in NEW_2024_PARENTS[code]}
            if len(parents) == 1 and None not in parents:
                category[code] = parents.pop()  # type: ignore[assignment]
                derivation[code] = (
                    "NUTS 2024 new code; parents "
                    + "+".join(NEW_2024_PARENTS[code])
                    + " share this category"
                )

    rows = []
    for code in sorted(names):
        versions = names[code]
        latest = max(versions)
        name, country = versions[latest]
        rows.append(
            {
                "code": code,
                "name": name,
                "country": country,
                "versions": ";".join(sorted(versions)),
                "category_2014_2020": category.get(code, ""),
                "derivation": derivation.get(code, "no 2014-2020 category (outside the EU28)"),
            }
        )
    with open(OUT / "nuts2_regions.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} regions to {OUT / 'nuts2_regions.csv'}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/reference/raw"))
