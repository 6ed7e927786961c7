"""The synthetic pool generator and the packaged demo pool."""

from __future__ import annotations

from collections import Counter
from importlib import resources

import pytest

from consortium_solver import demo_pool, reference
from consortium_solver.core.errors import InputError
from consortium_solver.domain import EccpStatus, OrganisationType, RegionCategory
from consortium_solver.io import pool_to_json
from consortium_solver.synthetic.pools import generate_pool


def test_same_arguments_same_pool() -> None:
    """Same n and seed give the same bytes; another seed gives another pool."""
    a = pool_to_json(generate_pool(80, seed=11))
    assert a == pool_to_json(generate_pool(80, seed=11))
    assert a != pool_to_json(generate_pool(80, seed=12))


def test_demo_pool_is_the_documented_generation() -> None:
    """instances/demo/README's command reproduces the packaged demo pool byte for byte."""
    packaged = resources.files("consortium_solver").joinpath("data", "demo_pool.json")
    regenerated = pool_to_json(generate_pool(200, 2018, name="demo", id_prefix="demo"))
    assert packaged.read_text(encoding="utf-8") == regenerated
    assert len(demo_pool()) == 200


def test_generated_pools_mix_what_the_call_is_about() -> None:
    """A large pool has every region category, non-EU members, and ineligible organisations."""
    pool = generate_pool(1000, seed=5)
    categories = Counter(o.region_category for o in pool.organisations)
    assert set(categories) == set(RegionCategory)
    assert any(o.country not in reference.eu28_countries() for o in pool.organisations)
    assert any(o.organisation_type is OrganisationType.OTHER for o in pool.organisations)
    assert any(o.eccp_status is EccpStatus.NONE for o in pool.organisations)
    assert len({o.id for o in pool.organisations}) == 1000


def test_lagging_share_is_respected() -> None:
    """With lagging_share=1 and no non-EU or ineligible draws, every member is in a lagging region."""
    pool = generate_pool(100, seed=2, lagging_share=1.0, ineligible_share=0.0, non_eu_share=0.0)
    assert {o.region_category for o in pool.organisations} <= {
        RegionCategory.LESS_DEVELOPED,
        RegionCategory.TRANSITION,
    }


@pytest.mark.parametrize("kwargs", [{"n": 0}, {"n": 5, "lagging_share": 1.5}])
def test_bad_arguments(kwargs: dict[str, float]) -> None:
    """n below 1 or a share outside [0, 1] is refused."""
    n = int(kwargs.pop("n"))
    with pytest.raises(ValueError):
        generate_pool(n, seed=1, **kwargs)  # type: ignore[arg-type]


def test_countries_and_sectors_restrict_the_draw() -> None:
    """Eligible members come from the chosen countries; sectors from the chosen ids only."""
    pool = generate_pool(
        150, seed=4, countries=("PL", "RS", "PT"), sectors=("health", "digital"), ineligible_share=0
    )
    assert {o.country for o in pool.organisations} == {"PL", "RS", "PT"}
    assert {s for o in pool.organisations for s in o.sectors} <= {"health", "digital"}
    only_eu = generate_pool(60, seed=4, countries=("DE",), non_eu_share=0.9, ineligible_share=0)
    assert {o.country for o in only_eu.organisations} == {"DE"}


def test_countries_are_read_by_name_as_the_importer_reads_them() -> None:
    """The same country reader as sheets: a name in its own language or in English is its code,
    and the same draw follows."""
    by_name = generate_pool(40, seed=3, countries=("Polska", "Serbia", "Portugal"))
    by_code = generate_pool(40, seed=3, countries=("PL", "RS", "PT"))
    assert by_name == by_code
    with pytest.raises(InputError) as info:
        generate_pool(10, seed=1, countries=("Polnad",))
    assert "did you mean Poland (PL)?" in info.value.message


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"countries": ("XX",)}, "countries"),
        ({"countries": ("CH",)}, "countries"),  # not a COSME country of 2018
        ({"sectors": ("steel",)}, "sectors"),
        ({"countries": ("LU", "NL"), "lagging_share": 0.5}, "lagging_share"),
        ({"ineligible_share": -0.1}, "ineligible_share"),
    ],
)
def test_bad_choices_name_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as info:
        generate_pool(10, seed=1, **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field
