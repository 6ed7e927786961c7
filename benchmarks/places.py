"""Places as people write them: how many are read right, and how long a 10,000-row sheet takes
(issue 27). Before and after in the same run: "before" is the resolver of commit f2fde65 (run from a
git worktree of it by ``baseline.py``), "after" is this checkout.

1. Read rate on the tests' own truth tables (``tests/data/places``: 170 English names of regions as
   organisers type them, 274 towns) and on a generated sheet of 10,000 organisations (seed 7) whose
   places are written six ways in turn: the Eurostat label, the label in capitals without accents,
   an English name, a NUTS-3 name, a town of the region, and coordinates alone (Latitude and
   Longitude columns). Right: the region expected (or the same region under a newer code); wrong:
   another region — the count that matters, since a wrong region can change the category; not
   read: left empty. The generated forms come from the package's own lists (a consistency
   check at scale); the truth tables are the measure of accuracy.
2. Import time of that 10,000-row sheet (.xlsx and .csv), median of the repeats: the same sheet
   with NUTS-2 codes in the region column (the baseline: no name to look up, in process); the
   typed places as the first sheet of a new process (the name tables, the gazetteer and the
   outlines loaded on the way) and as a next sheet (tables loaded, its places read anew); the
   code of f2fde65 on the typed sheet (its name tables built first); and ``consortium import
   SHEET`` end to end in a fresh process (start-up included).

    .venv/bin/python benchmarks/places.py                  # the tables in benchmarks/README.md
    .venv/bin/python benchmarks/places.py --rows 2000 --repeats 1
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXE = str(Path(sys.executable).with_name("consortium"))
BEFORE = "f2fde65"
FORMS = ("label", "CAPITALS", "English name", "NUTS-3 name", "town", "coordinates")


def resolve(rows: list[list[Any]]) -> list[str | None]:
    """Each (text, country[, lat, lon]) read by the resolver of the code this runs in (old code
    has no coordinates: a row with only them is not read there)."""
    import inspect

    from consortium_solver.reference.places import find_region

    takes_point = "point" in inspect.signature(find_region).parameters
    out: list[str | None] = []
    for row in rows:
        text, country = row[0], row[1]
        if len(row) > 2 and takes_point:
            out.append(find_region(text, country, (row[2], row[3])).code)
        elif not text:
            out.append(None)
        else:
            out.append(find_region(text, country).code)
    return out


def timed_import(path: str) -> float:
    """Seconds to import a sheet, in the code this runs in (one run, name tables built first)."""
    from consortium_solver.io import import_pool
    from consortium_solver.reference.places import country_names, region_names

    country_names(), region_names()
    start = time.perf_counter()
    import_pool(path)
    return time.perf_counter() - start


def score(found: list[str | None], expected: list[str]) -> tuple[int, int, int]:
    """(right, wrong, not read)."""
    from consortium_solver.reference import regions

    known = regions()
    right = wrong = empty = 0
    for code, want in zip(found, expected, strict=True):
        if code is None:
            empty += 1
        elif code == want or _renamed(code, want, known):
            right += 1
        else:
            wrong += 1
    return right, wrong, empty


def _renamed(code: str, want: str, known: Any) -> bool:
    from consortium_solver.reference.places import fold

    successors = {"NL31": {"NL35"}, "NL33": {"NL35", "NL36"}, "PT16": {"PT19", "PT1D"},
                  "PT17": {"PT1A", "PT1B"}, "PT18": {"PT1C", "PT1D"}}  # fmt: skip
    same_name = code in known and fold(known[code].name) == fold(known[want].name)
    return same_name or code in successors.get(want, set())


def truth_tables() -> dict[str, tuple[list[list[Any]], list[str]]]:
    out = {}
    for name, column, key in (
        ("english_names.csv", "name", "nuts2"),
        ("towns.csv", "town", "nuts2_2021"),
    ):
        with open(ROOT / "tests" / "data" / "places" / name, encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        out[name] = ([[r[column], r["country"]] for r in rows], [r[key] for r in rows])
    return out


def typed_places(n: int) -> tuple[list[list[Any]], list[str], list[list[str]]]:
    """A generated pool's places written the six ways in turn: (resolver rows, expected codes,
    sheet rows: organisation, country, region, latitude, longitude, type, ECCP, sectors)."""
    from consortium_solver import reference
    from consortium_solver.reference import read_csv
    from consortium_solver.reference.towns import towns
    from consortium_solver.synthetic.pools import generate_pool

    english: dict[str, str] = {}
    for row in read_csv("region_names_en.csv"):
        codes = row["nuts2"].split(";")
        if len(codes) == 1:
            english.setdefault(codes[0], row["name"])
    nuts3: dict[str, str] = {}
    for row in read_csv("compiled_region_names.csv"):
        if row["level"] == "nuts3" and ";" not in row["nuts2"]:
            nuts3.setdefault(row["nuts2"], row["name"])
    biggest: dict[str, Any] = {}
    for town in towns():
        if town.region and town.region not in biggest:
            biggest[town.region] = town
    pool = generate_pool(n, 7, ineligible_share=0.0)
    rows: list[list[Any]] = []
    expected: list[str] = []
    sheet: list[list[str]] = []
    located = [o for o in pool.organisations if o.nuts2]
    for i, org in enumerate(located):
        code = str(org.nuts2)
        label = reference.regions()[code].name
        form = FORMS[i % len(FORMS)]
        lat = lon = ""
        if form == "CAPITALS":
            text = "".join(
                c for c in unicodedata.normalize("NFKD", label) if not unicodedata.combining(c)
            ).upper()
        elif form == "English name":
            text = english.get(code, label)
        elif form == "NUTS-3 name":
            text = nuts3.get(code, label)
        elif form in ("town", "coordinates") and code in biggest:
            town = biggest[code]
            text = town.name if form == "town" else ""
            lat, lon = (f"{town.lat}", f"{town.lon}") if form == "coordinates" else ("", "")
        else:
            text = label
        rows.append([text, org.country, float(lat), float(lon)] if lat else [text, org.country])
        expected.append(code)
        sector = reference.sectors()[org.sectors[0]].name
        sheet.append([org.name, reference.countries()[org.country], text, lat, lon,
                      "Cluster organisation", "Yes", sector])  # fmt: skip
    return rows, expected, sheet


def write_sheets(sheet: list[list[str]], folder: Path, codes: list[str]) -> dict[str, Path]:
    """The typed sheet as .xlsx and .csv, and the same with NUTS-2 codes (the baseline)."""
    import openpyxl

    header = ["Organisation", "Country", "Region", "Latitude", "Longitude", "Type", "ECCP",
              "Sectors"]  # fmt: skip
    coded = [[r[0], r[1], code, "", "", *r[5:]] for r, code in zip(sheet, codes, strict=True)]
    out = {}
    for name, rows in (("typed", sheet), ("codes", coded)):
        book = openpyxl.Workbook()
        page = book.active
        page.append(header)
        for row in rows:
            page.append(row)
        out[f"{name}.xlsx"] = folder / f"{name}.xlsx"
        book.save(out[f"{name}.xlsx"])
        out[f"{name}.csv"] = folder / f"{name}.csv"
        with open(out[f"{name}.csv"], "w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([header, *rows])
    return out


def read_rates(n: int) -> tuple[list[list[Any]], list[str], list[list[str]]]:
    import baseline

    print("| places | rows | before: right | wrong | not read | after: right | wrong | not read |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    rows, expected, sheet = typed_places(n)
    cases = dict(truth_tables())
    for form in FORMS:
        picked = [k for k in range(len(rows)) if FORMS[k % len(FORMS)] == form]
        cases[f"generated: {form}"] = ([rows[k] for k in picked], [expected[k] for k in picked])
    for name, (case_rows, want) in cases.items():
        before = score(baseline.call(BEFORE, "places:resolve", case_rows), want)
        after = score(resolve(case_rows), want)
        cells = " | ".join(f"{v:,}" for v in (*before, *after))
        print(f"| {name} | {len(want):,} | {cells} |", flush=True)
    return rows, expected, sheet


def import_times(sheet: list[list[str]], expected: list[str], repeats: int) -> None:
    import baseline

    from consortium_solver.io import import_pool
    from consortium_solver.reference.places import find_region

    def again(path: Path) -> None:
        find_region.cache_clear()  # a new sheet: its places read anew, the tables kept
        import_pool(path)

    print()
    print("| sheet | rows | baseline: NUTS-2 codes s | typed places, first sheet s | typed places,"
          " next sheet s | next ÷ baseline | before (f2fde65): typed s | `consortium import` s |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as folder:
        paths = write_sheets(sheet, Path(folder), expected)
        for kind in (".xlsx", ".csv"):
            typed, codes = paths[f"typed{kind}"], paths[f"codes{kind}"]
            import_pool(codes)  # the process warmed up (imports, name tables)
            base = statistics.median(_runs(lambda p=codes: import_pool(p), repeats))
            first = statistics.median(_fresh(typed) for _ in range(repeats))
            after = statistics.median(_runs(lambda p=typed: again(p), repeats))
            before = statistics.median(
                baseline.call(BEFORE, "places:timed_import", str(typed)) for _ in range(repeats)
            )
            walls = _runs(
                lambda p=typed: subprocess.run(
                    [EXE, "import", str(p)], capture_output=True, check=False
                ),
                repeats,
            )
            print(
                f"| {kind} | {len(sheet):,} | {base:.2f} | {first:.2f} | {after:.2f}"
                f" | {after / base:.1f}× | {before:.2f} | {statistics.median(walls):.2f} |",
                flush=True,
            )


def _fresh(path: Path) -> float:
    """Seconds to import a sheet as the first one of a new process (this checkout's code; the
    package imported before the clock starts, the name tables, gazetteer and outlines loaded on it)."""
    code = (
        "import sys, time; sys.path.insert(0, sys.argv[2]); "
        "from consortium_solver.io import import_pool; "
        "start = time.perf_counter(); import_pool(sys.argv[1]); "
        "print(time.perf_counter() - start)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path), str(ROOT)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return float(done.stdout.strip().splitlines()[-1])


def _runs(fn: Any, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    # This checkout's package (the "before" code runs in its own worktree: see baseline.py).
    sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
    _, expected, sheet = read_rates(args.rows)
    import_times(sheet, expected, args.repeats)


if __name__ == "__main__":
    main()
