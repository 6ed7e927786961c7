"""Hypothesis strategies for the tests: small realistic organisations and pools.

Regions are real NUTS-2 codes from the packaged reference data, chosen so that every category
(less developed, transition, more developed, unclassified) appears; sectors and competences come from
small sets so that overlaps between members, which the score terms are about, are frequent.
"""

from __future__ import annotations

from hypothesis import strategies as st

from consortium_solver.domain import (
    EccpStatus,
    Maturity,
    Organisation,
    OrganisationType,
    Pool,
)

# (country, NUTS-2 or None): categories per the 2014-2020 list.
PLACES = [
    ("IT", "ITI1"),  # Toscana, more developed
    ("CZ", "CZ05"),  # Severovýchod, less developed
    ("SK", "SK02"),  # Západné Slovensko, less developed
    ("DE", "DE21"),  # Oberbayern, more developed
    ("FR", "FR10"),  # Île-de-France, more developed
    ("DE", "DE40"),  # Brandenburg, transition
    ("PT", "PT1D"),  # Oeste e Vale do Tejo (NUTS 2024), less developed
    ("GR", "EL30"),  # Attiki, more developed (Eurostat's EL)
    ("TR", "TR51"),  # Ankara, unclassified (outside the EU)
    ("RS", None),  # no region given: unclassified
    ("CH", "CH01"),  # not a COSME country
]
SECTORS = ["digital", "health", "tourism", "agri-food", "textile"]
TAGS = ["internationalisation", "digitalisation", "access-to-finance", "logistics"]


@st.composite
def organisations(draw: st.DrawFn, org_id: str | None = None) -> Organisation:
    country, nuts2 = draw(st.sampled_from(PLACES))
    return Organisation(
        id=org_id or draw(st.text("abcdefgh", min_size=1, max_size=6)),
        name="Org " + (org_id or "x"),
        country=country,
        nuts2=nuts2,
        organisation_type=draw(st.sampled_from(list(OrganisationType))),
        eccp_status=draw(st.sampled_from(list(EccpStatus))),
        sectors=tuple(
            draw(st.lists(st.sampled_from(SECTORS), min_size=1, max_size=3, unique=True))
        ),
        offers=tuple(draw(st.lists(st.sampled_from(TAGS), max_size=2, unique=True))),
        needs=tuple(draw(st.lists(st.sampled_from(TAGS), max_size=2, unique=True))),
        maturity=draw(st.sampled_from(list(Maturity))),
    )


@st.composite
def pools(draw: st.DrawFn, min_size: int = 1, max_size: int = 8) -> Pool:
    n = draw(st.integers(min_size, max_size))
    orgs = [draw(organisations(org_id=f"o{i}")) for i in range(n)]
    return Pool(name="drawn", organisations=tuple(orgs))
