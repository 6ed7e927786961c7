"""Domain models: normalisation, derived region categories, cross-field checks."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from consortium_solver.domain import Organisation, Pool, RegionCategory


def org(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "a",
        "name": "A Cluster",
        "country": "IT",
        "nuts2": "ITI1",
        "organisation_type": "cluster_organisation",
        "eccp_status": "registered",
        "sectors": ["digital"],
        "maturity": "none",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("given", "stored"), [("EL", "GR"), ("UK", "GB"), ("gr", "GR"), ("XK", "XK")]
)
def test_country_codes_are_normalised(given: str, stored: str) -> None:
    """Eurostat's EL and UK map to ISO's GR and GB; Kosovo's XK is accepted."""
    assert Organisation.model_validate(org(country=given, nuts2=None)).country == stored


def test_category_derived_from_nuts2() -> None:
    """A missing region_category comes from the NUTS-2 code's 2014-2020 category."""
    assert Organisation.model_validate(org(nuts2="cz05", country="CZ")).region_category == (
        RegionCategory.LESS_DEVELOPED
    )
    assert Organisation.model_validate(org(nuts2="EL30", country="EL")).nuts2 == "EL30"


def test_category_unclassified_without_a_category() -> None:
    """A known code without a 2014-2020 category, or no code, gives unclassified."""
    assert Organisation.model_validate(org(country="TR", nuts2="TR51")).region_category == (
        RegionCategory.UNCLASSIFIED
    )
    assert Organisation.model_validate(org(country="BA", nuts2=None)).region_category == (
        RegionCategory.UNCLASSIFIED
    )


def test_explicit_category_wins() -> None:
    """An explicit region_category is kept even where the NUTS-2 code says otherwise."""
    stated = Organisation.model_validate(
        org(country="TR", nuts2="TR51", region_category="transition")
    )
    assert stated.region_category is RegionCategory.TRANSITION


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"country": "XX"}, "unknown country code"),
        ({"nuts2": "ZZ99"}, "unknown NUTS-2 code"),
        ({"nuts2": "FR10"}, "lies in FR, not in IT"),
        ({"sectors": []}, "at least 1 item"),
        ({"sectors": ["rocket-science"]}, "unknown sector"),
        ({"maturity": "platinum"}, "maturity"),
        ({"region_category": "poor"}, "region_category"),
        ({"website": "x"}, "website"),
        ({"id": "  "}, "id"),
        ({"sectors": ["digital;health"]}, "sectors"),
    ],
)
def test_invalid_organisations_are_refused(overrides: dict[str, Any], fragment: str) -> None:
    """Each defect is refused with a message that names it."""
    with pytest.raises(ValidationError) as info:
        Organisation.model_validate(org(**overrides))
    assert fragment in str(info.value)


def test_pool_ids_are_unique() -> None:
    """Two organisations with one id are refused, naming both positions."""
    with pytest.raises(ValidationError, match=r"duplicate id 'a' at organisations\[1\]"):
        Pool.model_validate({"name": "p", "organisations": [org(), org()]})


def test_pool_is_not_empty() -> None:
    """A pool needs at least one organisation."""
    with pytest.raises(ValidationError):
        Pool.model_validate({"name": "p", "organisations": []})


def test_models_are_frozen() -> None:
    """Domain objects cannot be changed after validation."""
    o = Organisation.model_validate(org())
    with pytest.raises(ValidationError):
        setattr(o, "country", "DE")  # noqa: B010 - the assignment itself is what is tested


def test_duplicate_sectors_and_tags_collapse() -> None:
    """Repeated sectors or tags carry no meaning and are dropped, order kept."""
    o = Organisation.model_validate(org(sectors=["health", "digital", "health"], needs=["x", "x"]))
    assert o.sectors == ("health", "digital")
    assert o.needs == ("x",)
