"""The organiser's sheet of issue 13, written by code: a generated pool (88 organisations) as an event
organiser types it — a title row, a running number, country and region names in several languages
(Deutschland, UK, Česko; Lombardia, Upper Bavaria, codes),
types and ECCP status in words, comma-separated sector names, contacts and notes — with the defects
of a real sheet: blank rows, a "Total" row, a misspelt country, a duplicated organisation, a region
given by a name that covers several NUTS-2 regions, and one that is not a region at all.

``scripts/make_organiser_sheet.py`` writes ``tests/data/organiser/participants.xlsx`` from it;
tests/test_importing.py checks the file still matches and what the import reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from consortium_solver import reference
from consortium_solver.domain import Organisation, Pool
from consortium_solver.synthetic.pools import generate_pool

HEADER = (
    "No.",
    "Organisation",
    "Country",
    "Region",
    "Type",
    "Sectors",
    "ECCP",
    "Contact person",
    "E-mail",
    "Notes",
)
TITLE = "Cluster Matchmaking Day 2026 — registered participants"

# How organisers write some countries (an English name, their own name, a code, a variant).
COUNTRY_WORDS = {
    "DE": ("Germany", "Deutschland", "DE"),
    "IT": ("Italy", "Italia", "IT"),
    "FR": ("France", "FR", "france"),
    "ES": ("Spain", "España", "ES"),
    "GB": ("UK", "United Kingdom", "Great Britain"),
    "PL": ("Poland", "Polska", "PL"),
    "CZ": ("Czech Republic", "Czechia", "Česko"),
    "RO": ("Romania", "România", "RO"),
    "HU": ("Hungary", "Magyarország", "HU"),
    "GR": ("Greece", "EL", "Hellas"),
    "NL": ("The Netherlands", "Nederland", "Holland"),
}
TYPE_WORDS = {
    "cluster_organisation": ("Cluster organisation", "Cluster", "cluster management organization"),
    "business_network_organisation": ("Business network", "Business network organisation"),
}
ECCP_WORDS = {"registered": ("Yes", "yes", "Registered"), "applied": ("Applied", "pending")}

# The defects: (row in the pool, what) — rows are counted in the pool, before blank rows.
MISSPELT = {"DE": "Germnay"}
AMBIGUOUS_REGION = "Bavaria"
NOT_A_REGION = "Head office"
N = 88
SEED = 7


def organiser_pool() -> Pool:
    """The pool the sheet holds (its organisations' sectors, types, statuses, places)."""
    return generate_pool(N, SEED, ineligible_share=0.0, name="participants")


def _country(org: Organisation, i: int) -> str:
    words = COUNTRY_WORDS.get(org.country)
    if words is None:
        return reference.countries()[org.country] if i % 2 else org.country
    return words[i % len(words)]


# English names organisers type for some regions (read by the importer's English-name list).
ENGLISH_REGIONS = {
    "ITC4": "Lombardy",
    "DE21": "Upper Bavaria",
    "ITI1": "Tuscany",
    "ES51": "Catalonia",
}


def _region(org: Organisation, i: int) -> str:
    if org.nuts2 is None:
        return ""
    if i % 4 == 3:
        return org.nuts2  # a code, as some organisers copy it from the ECCP profile
    if i % 2 and org.nuts2 in ENGLISH_REGIONS:
        return ENGLISH_REGIONS[org.nuts2]
    return org.region_name or ""


def organiser_rows() -> list[list[str | int]]:
    """The sheet, row by row (cells as an organiser types them), defects included."""
    pool = organiser_pool()
    rows: list[list[str | int]] = [[TITLE], [], list(HEADER)]
    misspelt_done = ambiguous_done = odd_done = False
    for i, org in enumerate(pool.organisations):
        country = _country(org, i)
        region = _region(org, i)
        if org.country in MISSPELT and not misspelt_done and i > 10:
            country, misspelt_done = MISSPELT[org.country], True
        elif org.nuts2 and org.nuts2.startswith("DE2") and not ambiguous_done:
            region, ambiguous_done = AMBIGUOUS_REGION, True
        elif i == 40 and not odd_done:
            region, odd_done = NOT_A_REGION, True
        words = TYPE_WORDS[org.organisation_type.value]
        eccp = ECCP_WORDS[org.eccp_status.value]
        sectors = ", ".join(reference.sectors()[s].name for s in org.sectors)
        contact = f"Contact {i + 1:02d}"
        rows.append(
            [
                i + 1,
                org.name,
                country,
                region,
                words[i % len(words)],
                sectors,
                eccp[i % len(eccp)],
                contact,
                f"contact{i + 1:02d}@example.org",
                "vegetarian lunch" if i % 9 == 0 else "",
            ]
        )
        if i in (20, 55):
            rows.append([])  # blank rows where the organiser left a gap
    duplicate = pool.organisations[5]
    rows.append(
        [
            N + 1,
            f"  {duplicate.name.upper()} ",
            _country(duplicate, 0),
            _region(duplicate, 0),
            "Cluster",
            reference.sectors()[duplicate.sectors[0]].name,
            "Yes",
            "Contact 06 (again)",
            "contact06@example.org",
            "registered twice",
        ]
    )
    rows.append([])
    rows.append(["", "Total", f"{N + 1} participants"])
    return rows


def write_rows(
    path: Path,
    rows: Sequence[Sequence[object]],
    more: dict[str, Sequence[Sequence[object]]] | None = None,
) -> None:
    """Rows as an organiser's file: .csv, or an .xlsx workbook (numbers as numbers, as a spreadsheet
    stores them) whose first sheet is "Participants", with ``more`` sheets by title after it."""
    if path.suffix == ".csv":
        import csv

        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(rows)
        return
    import openpyxl

    workbook = openpyxl.Workbook()
    sheets = {"Participants": rows, **(more or {})}
    for k, (title, table) in enumerate(sheets.items()):
        sheet = workbook.active if k == 0 else workbook.create_sheet()
        sheet.title = title
        for row in table:
            sheet.append(list(row))
    workbook.save(path)


def write_organiser_sheet(path: Path) -> None:
    """Write the sheet as .xlsx (or .csv)."""
    write_rows(path, organiser_rows())


def fixed_rows() -> list[list[str | int]]:
    """The sheet after the organiser fixed only the genuinely wrong cells: the misspelt country
    written right, the duplicated organisation's row deleted."""
    rows = [list(r) for r in organiser_rows()]
    for row in rows:
        if len(row) > 2 and row[2] in MISSPELT.values():
            row[2] = "Germany"
    return [r for r in rows if not (len(r) > 9 and r[9] == "registered twice")]


def write_fixed_sheet(path: Path) -> None:
    write_rows(path, fixed_rows())
