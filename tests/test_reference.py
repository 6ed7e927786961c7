"""Integrity of the packaged reference data (figures from the source notes and the decision)."""

from __future__ import annotations

import csv
from collections import Counter
from importlib import resources

import pytest

from consortium_solver import reference

DATA = resources.files("consortium_solver.reference").joinpath("data")


def test_official_list_has_the_decisions_counts() -> None:
    """Decision 2014/99/EU codes 71 less developed, 51 transition and 151 more developed regions."""
    counts = Counter(cat for cat, _ in reference.official_categories().values())
    assert counts == {"less_developed": 71, "transition": 51, "more_developed": 151}


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        # Counts stated in the compiled file's source note (NUTS 2013 includes Mayotte).
        ("2013", {"less_developed": 72, "transition": 50, "more_developed": 154}),
        ("2016", {"less_developed": 73, "transition": 50, "more_developed": 158}),
        ("2021", {"less_developed": 75, "transition": 50, "more_developed": 158}),
    ],
)
def test_carried_categories_match_the_source_note(version: str, expected: dict[str, int]) -> None:
    """Categories carried onto later NUTS versions keep the counts the source note states."""
    with DATA.joinpath("compiled_cohesion_category_2014_2020_by_nuts_version.csv").open(
        encoding="utf-8"
    ) as f:
        rows = [r for r in csv.DictReader(f) if r["nuts_version"] == version]
    assert Counter(r["category_2014_2020"] for r in rows) == expected
    packaged = reference.regions()
    for row in rows:
        assert packaged[row["nuts_code"]].category == row["category_2014_2020"], row["nuts_code"]


@pytest.mark.parametrize(
    ("code", "category"),
    [
        ("ITI1", "more_developed"),  # Toscana
        ("CZ05", "less_developed"),  # Severovýchod
        ("SK02", "less_developed"),  # Západné Slovensko
        ("DE21", "more_developed"),  # Oberbayern
        ("FR10", "more_developed"),  # Île-de-France
        ("DE40", "transition"),  # Brandenburg (decision codes DE41 + DE42)
        ("PT1D", "less_developed"),  # NUTS 2024, from parts of PT16 and PT18, both less developed
        ("PT1A", "more_developed"),  # NUTS 2024, from PT17
        ("TR51", None),  # Ankara: outside the EU, no category
        ("XK00", None),  # Kosovo, statistical region 2024
    ],
)
def test_known_region_categories(code: str, category: str | None) -> None:
    """Spot checks against the official list (through the correspondence tables)."""
    assert reference.regions()[code].category == category


def test_every_region_lies_in_a_known_country() -> None:
    """Region countries are ISO codes (GR and GB, not EL and UK) known to the package."""
    countries = reference.countries()
    for region in reference.regions().values():
        assert region.country in countries, region.code
        assert region.country not in {"EL", "UK"}
        assert set(region.versions) <= {"2013", "2016", "2021", "2024"}


def test_every_eu28_region_of_2021_has_a_category() -> None:
    """Every EU28 NUTS-2 code of 2021 carries a 2014-2020 category."""
    eu28 = reference.eu28_countries()
    missing = [
        r.code
        for r in reference.regions().values()
        if r.country in eu28 and "2021" in r.versions and r.category is None
    ]
    assert missing == []


def test_cosme_2018_countries() -> None:
    """EU28 plus IS, AL, BA, XK, ME, MK, RS, TR, AM, MD, UA (COSME 2018 monitoring report)."""
    cosme = set(reference.cosme_countries_2018())
    assert len(reference.eu28_countries()) == 28
    assert cosme == set(reference.eu28_countries()) | {
        "IS",
        "AL",
        "BA",
        "XK",
        "ME",
        "MK",
        "RS",
        "TR",
        "AM",
        "MD",
        "UA",
    }


def test_sector_taxonomy_matches_its_source() -> None:
    """The 14 ecosystems keep the names of the compiled list; ids are unique slugs."""
    with DATA.joinpath("compiled_eu_industrial_ecosystems_14.csv").open(encoding="utf-8") as f:
        names = [row["industrial_ecosystem"] for row in csv.DictReader(f)]
    sectors = list(reference.sectors().values())
    assert [s.name for s in sectors] == names
    assert len({s.id for s in sectors}) == 14
    assert all(s.id == s.id.lower() and " " not in s.id for s in sectors)


def test_every_data_file_has_a_source_note() -> None:
    """Each packaged data file carries a .source.txt note."""
    names = {entry.name for entry in DATA.iterdir()}
    data_files = {n for n in names if not n.endswith(".source.txt")}
    assert data_files
    for name in data_files:
        assert f"{name}.source.txt" in names, name


def test_normalise_country() -> None:
    """Eurostat's EL and UK become GR and GB; case and spaces do not matter."""
    assert reference.normalise_country(" el ") == "GR"
    assert reference.normalise_country("UK") == "GB"
    assert reference.normalise_country("xk") == "XK"
