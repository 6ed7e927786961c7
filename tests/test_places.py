"""Places as people write them: every NUTS-2 label of every version, English names, compass names
within a country, towns, coordinates near borders — and never a silent change of region category.

The truth tables in ``tests/data/places/`` are the tests' own (see the README there), not the
package's data: an English name or a town that reads wrong fails here whatever the packaged lists say.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import process
from rapidfuzz.distance import OSA
from typer.testing import CliRunner

from consortium_solver.cli import app
from consortium_solver.io import ImportOptions, import_pool
from consortium_solver.reference import read_csv, regions, towns
from consortium_solver.reference.places import (
    find_region,
    fold,
    names_in_country,
    region_names,
)
from consortium_solver.reference.towns import find_towns, region_at, regions_at
from tests.conftest import DATA, scaled

PLACES = DATA / "places"
runner = CliRunner()
WIDE = {"COLUMNS": "250"}  # table cells unwrapped, to read them whole
# NUTS 2024 redrew these regions of 2021: a place of one may be read as any of its successors.
SUCCESSORS = {
    "NL31": {"NL35"},
    "NL33": {"NL35", "NL36"},
    "PT16": {"PT19", "PT1D"},
    "PT17": {"PT1A", "PT1B"},
    "PT18": {"PT1C", "PT1D"},
}


def _table(name: str) -> list[dict[str, str]]:
    with open(PLACES / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _same_region(found: str | None, expected: str) -> bool:
    """The expected region, its NUTS 2024 successor, or the same region under a newer code."""
    known = regions()
    if found is None:
        return False
    if found == expected or found in SUCCESSORS.get(expected, set()):
        return True
    return fold(known[found].name) == fold(known[expected].name)


# --------------------------------------------------------------------------- names and versions


def test_every_nuts2_label_of_every_version_finds_its_region() -> None:
    """Each NUTS-2 label of 2013, 2016, 2021 and 2024 (and Eurostat's Latin transliterations) read
    within its country gives its region (or the same region under the newest code)."""
    known = regions()
    rows = [(r.name, [c]) for c, r in known.items()]
    rows += [
        (r["name"], r["nuts2"].split(";"))
        for r in read_csv("compiled_region_names.csv")
        if r["level"] == "nuts2"
    ]
    wrong = []
    for name, codes in rows:
        for code in codes:
            match = find_region(name, known[code].country)
            if code not in match.codes and not _same_region(match.code, code):
                wrong.append((name, code, match.codes))
    assert wrong == []
    assert {v for r in known.values() for v in r.versions} == {"2013", "2016", "2021", "2024"}


# Regions whose Eurostat label is already the name English uses (German Länder, Spanish
# communities, Portugal's south, Turkey's province groups, English regions).
LABEL_IS_ENGLISH = {
    "DE30", "DE40", "DE50", "DE60", "DEC0", "DEF0", "ES11", "ES13", "ES23", "ES43", "PT15",
    "PT18", "PT1C", "UKG1", "UKG2",
}  # fmt: skip


def test_every_region_of_2016_to_2024_has_an_english_name() -> None:
    """The English names are complete: each region of NUTS 2016, 2021 and 2024 has a row in
    region_names_en.csv, or a label that is its English name (Turkey's regions are named by their
    provinces, each a NUTS-3 name)."""
    covered = {c for row in read_csv("region_names_en.csv") for c in row["nuts2"].split(";")}
    known = regions()
    assert covered <= set(known)
    missing = [
        code
        for code, region in known.items()
        if set(region.versions) & {"2016", "2021", "2024"}
        and code not in covered | LABEL_IS_ENGLISH
        and region.country != "TR"
    ]
    assert missing == []


def test_english_names_as_organisers_type_them() -> None:
    table = _table("english_names.csv")
    assert len(table) >= 150
    wrong = [
        (row["name"], row["country"], row["nuts2"], find_region(row["name"], row["country"]))
        for row in table
        if not _same_region(find_region(row["name"], row["country"]).code, row["nuts2"])
    ]
    assert wrong == []


def test_towns_land_in_their_region() -> None:
    table = _table("towns.csv")
    assert len(table) >= 150
    wrong = []
    for row in table:
        match = find_region(row["town"], row["country"])
        if not _same_region(match.code, row["nuts2_2021"]):
            wrong.append((row["town"], row["country"], row["nuts2_2021"], match))
    assert wrong == []


# A town whose region changed code (or boundary) between NUTS versions, in each version.
BY_VERSION = [
    ("Cork", "IE", {"2013": "IE02", "2016": "IE05", "2021": "IE05", "2024": "IE05"}),
    ("Galway", "IE", {"2013": "IE01", "2016": "IE04", "2021": "IE04", "2024": "IE04"}),
    ("Toulouse", "FR", {"2013": "FR62", "2016": "FRJ2", "2021": "FRJ2", "2024": "FRJ2"}),
    ("Budapest", "HU", {"2013": "HU10", "2016": "HU11", "2021": "HU11", "2024": "HU11"}),
    ("Warsaw", "PL", {"2013": "PL12", "2016": "PL91", "2021": "PL91", "2024": "PL91"}),
    ("Osijek", "HR", {"2013": "HR04", "2016": "HR04", "2021": "HR02", "2024": "HR02"}),
    ("Varaždin", "HR", {"2013": "HR04", "2016": "HR04", "2021": "HR06", "2024": "HR06"}),
    ("Glasgow", "GB", {"2013": "UKM3", "2016": "UKM8", "2021": "UKM8", "2024": ""}),
    ("Vilnius", "LT", {"2013": "LT00", "2016": "LT01", "2021": "LT01", "2024": "LT01"}),
    ("Oslo", "NO", {"2016": "NO01", "2021": "NO08", "2024": "NO08"}),
    ("Bergen", "NO", {"2016": "NO05", "2021": "NO0A", "2024": "NO0A"}),
    ("Utrecht", "NL", {"2013": "NL31", "2016": "NL31", "2021": "NL31", "2024": "NL35"}),
    ("Coimbra", "PT", {"2013": "PT16", "2016": "PT16", "2021": "PT16", "2024": "PT19"}),
    ("Umeå", "SE", {"2013": "SE33", "2016": "SE33", "2021": "SE33", "2024": "SE33"}),
]


@pytest.mark.parametrize(("town", "country", "codes"), BY_VERSION)
def test_a_town_in_its_region_of_each_nuts_version(
    town: str, country: str, codes: dict[str, str]
) -> None:
    found = find_towns(fold(town), country)
    biggest = max(found, key=lambda t: t.population)
    for version, code in codes.items():
        assert biggest.regions[version] == code, version
    # The same answer from the town's point, tested against the packaged boundaries now.
    at = regions_at(biggest.lat, biggest.lon)
    assert {v: c for v, c in at.items() if v in codes} == {v: c for v, c in codes.items() if c}


# Points a few kilometres either side of a border: (lat, lon, country) -> region.
BORDERS = [
    (48.5734, 7.7521, "FR", "FRF1"),  # Strasbourg
    (48.5722, 7.8153, "DE", "DE13"),  # Kehl, across the Rhine
    (51.1528, 14.9872, "DE", "DED2"),  # Görlitz
    (51.1536, 15.0086, "PL", "PL51"),  # Zgorzelec, across the Neisse
    (52.3471, 14.5506, "DE", "DE40"),  # Frankfurt (Oder)
    (52.3522, 14.5776, "PL", "PL43"),  # Słubice
    (45.9410, 13.6222, "IT", "ITH4"),  # Gorizia
    (45.9564, 13.6481, "SI", "SI04"),  # Nova Gorica
    (47.7597, 18.1283, "SK", "SK02"),  # Komárno
    (47.7393, 18.1208, "HU", "HU21"),  # Komárom, across the Danube
    (65.8483, 24.1466, "FI", "FI1D"),  # Tornio
    (65.8355, 24.1367, "SE", "SE33"),  # Haparanda
    (47.5596, 7.5886, "CH", "CH03"),  # Basel
    (47.5930, 7.6217, "DE", "DE13"),  # Weil am Rhein
    (57.7749, 26.0470, "EE", "EE00"),  # Valga
    (57.7755, 26.0207, "LV", "LV00"),  # Valka
]


@pytest.mark.parametrize(("lat", "lon", "country", "code"), BORDERS)
def test_coordinates_near_a_border_land_on_their_side(
    lat: float, lon: float, country: str, code: str
) -> None:
    assert region_at(lat, lon, country) == code
    assert find_region("", country, (lat, lon)).code == code


def test_a_point_at_sea_or_abroad_is_in_no_region() -> None:
    assert region_at(45.0, -20.0) is None  # the Atlantic
    assert region_at(48.5734, 7.7521, "DE") is None  # Strasbourg is no place in Germany


# --------------------------------------------------------------------------- within the country


@pytest.mark.parametrize(
    ("text", "country", "code"),
    [
        ("South-East", "RO", "RO22"),
        ("South East", "BG", "BG34"),
        ("Southeast", "CZ", "CZ06"),
        ("south-eastern", "RO", "RO22"),
        ("South-West", "BG", "BG41"),
        ("South-West", "CZ", "CZ03"),
        ("Centre", "RO", "RO12"),
        ("West", "RO", "RO42"),
        ("North-East", "RO", "RO21"),
        ("Sud-Est", "RO", "RO22"),  # the Romanian label
        ("South-East", "IE", "IE05"),  # Ireland's NUTS-3 South-East, in the Southern region
    ],
)
def test_compass_names_resolve_within_the_country(text: str, country: str, code: str) -> None:
    assert find_region(text, country).code == code


def test_another_countrys_region_of_the_same_name_is_no_error() -> None:
    """ "South-East" is a region of Ireland too: typed beside Romania it is Romania's, read
    without a word."""
    report = import_pool(_sheet_with([("Cluster A", "Romania", "South-East")]))
    assert report.pool is not None and report.problems == []
    assert report.pool.organisations[0].nuts2 == "RO22"


def test_a_region_only_another_country_has_is_an_error_naming_it() -> None:
    report = import_pool(_sheet_with([("Cluster A", "Italy", "Oberbayern")]))
    assert [p.message for p in report.errors] == [
        "Oberbayern is a region of Germany (DE21), not of Italy"
    ]


def test_a_country_without_nuts_regions_says_so() -> None:
    """Ukraine and Bosnia and Herzegovina took part in COSME but have no NUTS regions: a place
    there is left empty with the reason, never searched for in other countries."""
    report = import_pool(_sheet_with([("A", "Ukraine", "Kharkiv"), ("B", "Bosnia", "Centre")]))
    assert report.pool is not None and report.errors == []
    assert [p.message for p in report.warnings] == [
        "Ukraine has no NUTS-2 regions: left empty",
        "Bosnia and Herzegovina has no NUTS-2 regions: left empty",
    ]


def test_ambiguous_names_keep_their_candidates() -> None:
    assert set(find_region("Occitanie", "FR").codes) == {"FRJ1", "FRJ2"}
    assert set(find_region("Normandy", "FR").codes) == {"FRD1", "FRD2"}
    assert set(find_region("Scotland", "GB").codes) >= {"UKM5", "UKM6", "UKM7", "UKM8", "UKM9"}
    assert set(find_region("Frankfurt", "DE").codes) == {"DE40", "DE71"}  # Oder or Main


# ---------------------------------------------------------------- never a change of category


def _category(key: str, country: str) -> set[str | None]:
    known = regions()
    return {known[c].category for c in names_in_country(country)[key][0]}


def _one_edit(word: str, alphabet: str) -> set[str]:
    """Every string one edit (insertion, deletion, substitution, swap of neighbours) from word."""
    out: set[str] = set()
    for i in range(len(word) + 1):
        for letter in alphabet:
            out.add(word[:i] + letter + word[i:])
        if i < len(word):
            out.add(word[:i] + word[i + 1 :])
            out.update(word[:i] + letter + word[i + 1 :] for letter in alphabet)
        if i < len(word) - 1:
            out.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
    return out


def _confusable_pairs() -> list[tuple[str, str, str]]:
    """Every pair of region names in one country, one or two edits apart, of different
    categories: (country, a, b)."""
    countries = sorted({c for by in region_names().values() for c in by})
    pairs = []
    for country in countries:
        keys = [k for k in names_in_country(country) if len(_category(k, country)) == 1]
        for i, a in enumerate(keys):
            near = process.extract(
                a, keys[i + 1 :], scorer=OSA.distance, score_cutoff=2, limit=None
            )
            pairs += [
                (country, a, b)
                for b, _, _ in near
                if _category(a, country) != _category(b, country)
            ]
    return pairs


def test_no_guess_between_names_of_different_categories_one_or_two_edits_apart() -> None:
    """For every such pair (Hamburg/Harburg, Aube/Aude, ...), each text within two edits of both
    is read exactly or not at all: a guess would change the category one way or the other."""
    pairs = _confusable_pairs()
    assert len(pairs) >= 20  # the property has cases to bite on
    names = set(region_names())
    tried = 0
    for country, a, b in pairs:
        assert find_region(a, country).guessed is False
        between = {
            v
            for v in _one_edit(a, "".join(sorted(set(a + b))))
            | _one_edit(b, "".join(sorted(set(a + b))))
            if v not in names and OSA.distance(v, a) <= 2 and OSA.distance(v, b) <= 2
        }
        for text in between:
            tried += 1
            match = find_region(text, country)
            assert not match.guessed, (country, a, b, text, match)
    assert tried >= 100


@st.composite
def _typo(draw: st.DrawFn) -> tuple[str, str, str]:
    """A region name of a country with one or two random edits: (country, name, typed)."""
    countries = sorted(
        {c for by in region_names().values() for c in by if len(names_in_country(c)) > 1}
    )
    country = draw(st.sampled_from(countries))
    keys = sorted(
        k for k in names_in_country(country) if len(_category(k, country)) == 1 and len(k) >= 4
    )
    name = draw(st.sampled_from(keys))
    typed = name
    for _ in range(draw(st.integers(1, 2))):
        i = draw(st.integers(0, len(typed) - 1))
        kind = draw(st.sampled_from(["drop", "swap", "change", "add"]))
        letter = draw(st.sampled_from("abcdeilmnorstuvwz "))
        if kind == "drop":
            typed = typed[:i] + typed[i + 1 :]
        elif kind == "swap" and i < len(typed) - 1:
            typed = typed[:i] + typed[i + 1] + typed[i] + typed[i + 2 :]
        elif kind == "change":
            typed = typed[:i] + letter + typed[i + 1 :]
        else:
            typed = typed[:i] + letter + typed[i:]
    return country, name, typed


@settings(max_examples=scaled(300))
@given(_typo())
def test_a_guess_never_changes_the_category_of_the_name_typed(case: tuple[str, str, str]) -> None:
    country, name, typed = case
    match = find_region(typed, country)
    if match.guessed and match.code is not None:
        assert {regions()[match.code].category} == _category(name, country), (typed, match)


# ------------------------------------------------------------------------------ the importer


def _sheet_with(rows: Sequence[tuple[str, ...]], header: tuple[str, ...] = ()) -> Path:
    import tempfile

    header = header or ("Organisation", "Country", "Region", "Type", "ECCP", "Sectors")
    folder = Path(tempfile.mkdtemp(prefix="places-"))
    path = folder / "sheet.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for row in rows:
            writer.writerow([*row, "Cluster organisation", "Yes", "Digital"][: len(header)])
    return path


def test_the_report_shows_each_place_with_the_category_it_brings() -> None:
    path = _sheet_with(
        [
            ("A", "Czechia", "Jihovýchod"),
            ("B", "Hungary", "Debrecen"),
            ("C", "Poland", "Olsztyn"),
            ("D", "Germany", "Oberbayren"),
        ]
    )
    report = import_pool(path)
    assert report.pool is not None
    read = {p.text: (p.code, p.how) for p in report.places}
    assert read["Jihovýchod"] == ("CZ06", "NUTS-2 name")
    assert read["Debrecen"] == ("HU32", "the town Debrecen")
    warnings = {p.value: p.message for p in report.warnings}
    assert warnings["Olsztyn"].startswith(
        "read as Warmińsko-mazurskie (PL62) — less developed region"
    )
    assert warnings["Oberbayren"].startswith("read as Oberbayern (DE21) — more developed region")
    result = runner.invoke(app, ["import", str(path)], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "Jihovýchod (CZ06)" in result.stdout and "less developed region" in result.stdout
    assert "Észak-Alföld (HU32)" in result.stdout and "the town Debrecen" in result.stdout


def test_a_town_column_and_coordinates_place_the_organisation() -> None:
    header = (
        "Organisation",
        "Country",
        "Region",
        "City",
        "Latitude",
        "Longitude",
        "Type",
        "ECCP",
        "Sectors",
    )
    rows = [
        ("A", "Netherlands", "", "Eindhoven", "", ""),
        ("B", "Germany", "Head office", "Leipzig", "", ""),
        ("C", "Poland", "", "", "51.1536", "15.0086"),  # Zgorzelec, across from Görlitz
        ("D", "Germany", "", "Frankfurt", "52.3471", "14.5506"),  # the Oder one, by its point
    ]
    report = import_pool(_sheet_with(rows, header))
    assert report.pool is not None, report.problems
    by_name = {o.name: o for o in report.pool.organisations}
    assert by_name["A"].nuts2 == "NL41"
    assert by_name["B"].nuts2 == "DED5"
    assert by_name["C"].nuts2 == "PL51"
    assert by_name["D"].nuts2 == "DE40"
    assert by_name["A"].details["City"] == "Eindhoven"  # kept as the sheet's column too
    assert by_name["C"].details["Latitude"] == "51.1536"
    messages = {p.value: p.message for p in report.warnings}
    assert messages["Head office"] == "not read as a region: placed by the town (Leipzig) instead"


def test_accept_suggestions_takes_each_unique_suggestion_and_lists_it(tmp_path: Path) -> None:
    path = _sheet_with([("A", "Netherlands", "Nord Brabnt"), ("B", "France", "Normandy")])
    plain = import_pool(path)
    assert plain.pool is not None
    assert [o.nuts2 for o in plain.pool.organisations] == [None, None]
    choices = {p.value: p.choices for p in plain.warnings}
    assert choices["Nord Brabnt"] == ("NL41",)
    assert set(choices["Normandy"]) == {"FRD1", "FRD2"}
    taken = import_pool(path, ImportOptions(accept_suggestions=True))
    assert taken.pool is not None
    assert [o.nuts2 for o in taken.pool.organisations] == ["NL41", None]  # Normandy: two
    out = tmp_path / "pool.json"
    result = runner.invoke(
        app, ["import", str(path), "--accept-suggestions", "--out", str(out)], env=WIDE
    )
    assert result.exit_code == 0, result.output
    assert "the only suggestion, taken as asked" in result.stdout
    assert json.loads(out.read_text())["organisations"][0]["nuts2"] == "NL41"


def test_exchange_participants_are_placed_by_the_same_resolver() -> None:
    from consortium_solver.io.exchange_sheets import import_exchange_pool

    path = Path(_sheet_with([], ("x",))).with_name("participants.csv")
    path.write_text(
        "Organisation,Country,Region,Type,Role,Partnership,Sectors\n"
        "Host A,Romania,South-East,Cluster organisation,Host,P1,Digital\n"
        "Visitor B,Hungary,Debrecen,SME,Visitor,P1,Digital\n",
        encoding="utf-8",
    )
    report = import_exchange_pool(path)
    assert report.pool is not None, report.problems
    assert [p.nuts2 for p in report.pool.participants] == ["RO22", "HU32"]


def test_the_packaged_towns_have_the_columns_the_reader_reads() -> None:
    import gzip
    from importlib import resources

    data = resources.files("consortium_solver.reference").joinpath("data", "compiled_towns.csv.gz")
    header = gzip.decompress(data.read_bytes()).decode("utf-8").splitlines()[0]
    assert tuple(header.split(",")) == towns.COLUMNS
    assert len(towns.towns()) > 60_000
    assert all(t.country in {r.country for r in regions().values()} for t in towns.towns())


def test_the_gazetteer_and_boundaries_load_only_when_a_place_needs_them() -> None:
    """Reading a JSON pool, or a sheet of NUTS codes and region names, costs no town table."""
    code = (
        "import sys\n"
        "from consortium_solver.io import import_pool, read_pool\n"
        "from consortium_solver.reference import towns\n"
        f"read_pool({str(DATA.parent.parent / 'instances' / 'demo' / 'pool.json')!r})\n"
        f"import_pool({str(_sheet_with([('A', 'Czechia', 'CZ06'), ('B', 'Italy', 'Lombardy')]))!r})\n"
        "assert towns._rows.cache_info().currsize == 0, 'towns loaded'\n"
        "assert towns._boundaries.cache_info().currsize == 0, 'boundaries loaded'\n"
        "assert 'shapely' not in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
