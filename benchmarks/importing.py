"""How long does an organiser wait for the import report? (issue 13: target < 2 s for 1,000 rows)

For sheets of 100, 1,000 and 5,000 organisations (a generated pool, seed 7, written as an organiser
types it: title row, country and region names, types and ECCP status in words, comma-separated sector
names, contacts, and one bad cell in fifty), measures in-process, median of the repeats:

- the tolerant import of the organiser's sheet, as .xlsx and as .csv (``import_pool``);
- the baseline in the same run: reading the same pool from its strict JSON document (pydantic
  validation of the canonical pool, what ``read_pool`` did before the importer);
- and, as separate processes, ``consortium import SHEET.xlsx --report report.xlsx`` end to end
  (start-up, reading, the report workbook written).

    .venv/bin/python benchmarks/importing.py                 # the table in benchmarks/README.md
    .venv/bin/python benchmarks/importing.py --sizes 1000 --repeats 3
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EXE = str(Path(sys.executable).with_name("consortium"))


def organiser_sheet(n: int, path: Path) -> None:
    """A generated pool of n written the organiser's way (tests/organiser.py's style), with one
    misspelt country in fifty rows."""

    from consortium_solver import reference
    from consortium_solver.synthetic.pools import generate_pool
    from tests.organiser import HEADER, TITLE, TYPE_WORDS, write_rows

    pool = generate_pool(n, 7, ineligible_share=0.0)
    rows: list[list[object]] = [[TITLE], [], list(HEADER)]
    for i, org in enumerate(pool.organisations):
        country = reference.countries()[org.country] if i % 50 else "Atlantida"
        rows.append(
            [
                i + 1,
                org.name,
                country,
                org.region_name or "",
                TYPE_WORDS[org.organisation_type.value][0],
                ", ".join(reference.sectors()[s].name for s in org.sectors),
                "Yes" if org.eccp_status.value == "registered" else "Applied",
                f"Contact {i}",
                f"contact{i}@example.org",
                "",
            ]
        )
    write_rows(path, rows)


def median_seconds(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 5_000])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    from consortium_solver.io import import_pool, pool_to_json, read_pool
    from consortium_solver.reference.places import country_names, region_names
    from consortium_solver.synthetic.pools import generate_pool

    country_names(), region_names()  # the name tables, built once per process (~0.3 s)
    print(
        "| rows | strict JSON (baseline) s | import .csv s | import .xlsx s | .xlsx ÷ baseline"
        " | `consortium import --report` s | problems |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as folder:
        for n in args.sizes:
            xlsx, csv_path, doc = (Path(folder) / f"s{n}{s}" for s in (".xlsx", ".csv", ".json"))
            organiser_sheet(n, xlsx)
            organiser_sheet(n, csv_path)
            doc.write_text(pool_to_json(generate_pool(n, 7, ineligible_share=0.0)))
            base = median_seconds(lambda d=doc: read_pool(d), args.repeats)  # type: ignore[misc]
            t_csv = median_seconds(lambda p=csv_path: import_pool(p), args.repeats)  # type: ignore[misc]
            t_xlsx = median_seconds(lambda p=xlsx: import_pool(p), args.repeats)  # type: ignore[misc]
            problems = len(import_pool(xlsx).problems)
            walls = []
            for _ in range(max(1, args.repeats // 2)):
                start = time.perf_counter()
                subprocess.run(
                    [EXE, "import", str(xlsx), "--report", str(Path(folder) / "r.xlsx")],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    check=False,
                )
                walls.append(time.perf_counter() - start)
            print(
                f"| {n:,} | {base:.3f} | {t_csv:.3f} | {t_xlsx:.3f} | {t_xlsx / base:.1f}×"
                f" | {statistics.median(walls):.2f} | {problems} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
