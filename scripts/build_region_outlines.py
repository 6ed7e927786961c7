"""Rebuild ``consortium_solver/reference/data/compiled_nuts2_outlines_60m.json``: one outline per NUTS-2
region, for the maps of the HTML pages.

Developer tool, never run by the package:
``python scripts/build_region_outlines.py ../shared/reference/raw``. Inputs: Eurostat GISCO's NUTS-2
polygons at 1:60 million, NUTS 2021 (``GISCO_NUTS_RG_60M_2021_4326_LEVL_2.geojson``) and, for codes
2021 lacks (the United Kingdom's, ...), NUTS 2016 (``GISCO_NUTS_RG_60M_2016_4326_LEVL_2.geojson``).
Only each polygon's outer ring is kept (holes do not show at this scale), coordinates rounded to 0.01°.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "consortium_solver" / "reference" / "data"
NAME = "compiled_nuts2_outlines_60m.json"
INPUTS = (
    "GISCO_NUTS_RG_60M_2021_4326_LEVL_2.geojson",
    "GISCO_NUTS_RG_60M_2016_4326_LEVL_2.geojson",
)


def outer_rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    return [[[round(x, 2), round(y, 2)] for x, y in polygon[0]] for polygon in polygons]


def main(raw: Path) -> None:
    outlines: dict[str, list[list[list[float]]]] = {}
    for name in INPUTS:
        for feature in json.loads((raw / name).read_text(encoding="utf-8"))["features"]:
            code = feature["properties"]["NUTS_ID"]
            if code not in outlines:
                outlines[code] = outer_rings(feature["geometry"])
    text = json.dumps(dict(sorted(outlines.items())), separators=(",", ":"))
    (OUT / NAME).write_text(text + "\n", encoding="utf-8")
    print(f"{len(outlines)} regions, {len(text):,} bytes written to {OUT / NAME}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/reference/raw"))
