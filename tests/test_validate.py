"""The independent validator: a satisfied/violated pair per rule kind, the 2018 call on hand-made
consortia, the score terms (README, "Score"), and properties under hypothesis."""

from __future__ import annotations

import itertools
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consortium_solver.core.errors import InputError
from consortium_solver.domain import LAGGING, Organisation, Pool, Term
from consortium_solver.rules import (
    RULE_KINDS,
    AnyRule,
    Call,
    MaxPerValue,
    MemberIn,
    MinCount,
    MinDistinct,
    Objective,
    SectorLink,
    Size,
)
from consortium_solver.testing import organisations, pools
from consortium_solver.validate import check, check_rule, score_terms, total
from tests.rule_cases import CASES, case_id


def members(pool: Pool, *ids: str) -> list[Organisation]:
    return [pool.by_id[i] for i in ids]


@pytest.mark.parametrize(("rule", "ids", "passes"), CASES, ids=[case_id(c) for c in CASES])
def test_rule_table(regions_pool: Pool, rule: AnyRule, ids: tuple[str, ...], passes: bool) -> None:
    """Every kind, satisfied and violated (the table the encoder tests share)."""
    assert check_rule(rule, members(regions_pool, *ids)).passed is passes
    kinds = {c[0].kind for c in CASES}
    assert kinds == set(RULE_KINDS)


# ---------------------------------------------------------------- satisfied / violated per kind


def test_member_in_satisfied(regions_pool: Pool) -> None:
    """All members in COSME countries."""
    rule = MemberIn.model_validate({"id": "r", "field": "country", "values": "@cosme-2018"})
    verdict = check_rule(rule, members(regions_pool, "toscana", "ankara", "zapadne"))
    assert verdict.passed


def test_member_in_violated(regions_pool: Pool) -> None:
    """A Swiss member is outside COSME 2018; the verdict names it and its country."""
    rule = MemberIn.model_validate({"id": "r", "field": "country", "values": "@cosme-2018"})
    verdict = check_rule(rule, members(regions_pool, "toscana", "bern"))
    assert not verdict.passed
    assert "bern (CH)" in verdict.why


def test_size_satisfied(regions_pool: Pool) -> None:
    """Three members within 3..4."""
    rule = Size(id="s", min=3, max=4)
    assert check_rule(rule, members(regions_pool, "toscana", "idf", "zapadne")).passed


@pytest.mark.parametrize(
    "ids", [("toscana", "idf"), ("toscana", "idf", "zapadne", "ankara", "bern")]
)
def test_size_violated(regions_pool: Pool, ids: tuple[str, ...]) -> None:
    """Two members, or five, fall outside 3..4."""
    verdict = check_rule(Size(id="s", min=3, max=4), members(regions_pool, *ids))
    assert not verdict.passed
    assert str(len(ids)) in verdict.why


def test_min_distinct_satisfied(regions_pool: Pool) -> None:
    """Three countries among three members."""
    rule = MinDistinct(id="d", field="country", min=3)
    verdict = check_rule(rule, members(regions_pool, "toscana", "severovychod", "zapadne"))
    assert verdict.passed
    assert "CZ, IT, SK" in verdict.why


def test_min_distinct_violated(regions_pool: Pool) -> None:
    """Two German members and a French one make only two countries."""
    rule = MinDistinct(id="d", field="country", min=3)
    verdict = check_rule(rule, members(regions_pool, "oberbayern", "consultancy", "idf"))
    assert not verdict.passed
    assert "only 2 countries (DE, FR)" in verdict.why


def test_min_distinct_counts_sectors_across_members(regions_pool: Pool) -> None:
    """For sectors the values are the union of the members' sectors."""
    rule = MinDistinct(id="d", field="sectors", min=3)
    assert check_rule(rule, members(regions_pool, "toscana", "severovychod")).passed  # 3 sectors
    assert not check_rule(rule, members(regions_pool, "idf", "bern")).passed  # health only


def one_lagging_member() -> MinCount:
    """At least one member in a less developed or transition region."""
    return MinCount.model_validate(
        {"id": "c", "field": "region_category", "values": list(LAGGING), "min": 1}
    )


def test_min_count_satisfied(regions_pool: Pool) -> None:
    """One member in a less developed region."""
    rule = one_lagging_member()
    assert check_rule(rule, members(regions_pool, "toscana", "zapadne")).passed


def test_min_count_violated(regions_pool: Pool) -> None:
    """No member in a lagging region; the verdict says what the members have instead."""
    rule = one_lagging_member()
    verdict = check_rule(rule, members(regions_pool, "toscana", "idf", "ankara"))
    assert not verdict.passed
    assert "more_developed ×2" in verdict.why and "unclassified ×1" in verdict.why


def test_max_per_value_satisfied(regions_pool: Pool) -> None:
    """No country twice."""
    rule = MaxPerValue(id="m", field="country", max=1)
    assert check_rule(rule, members(regions_pool, "toscana", "idf", "oberbayern")).passed


def test_max_per_value_violated(regions_pool: Pool) -> None:
    """Two German members exceed one per country; the verdict names them."""
    rule = MaxPerValue(id="m", field="country", max=1)
    verdict = check_rule(rule, members(regions_pool, "oberbayern", "consultancy", "idf"))
    assert not verdict.passed
    assert "DE shared by 2: oberbayern, consultancy" in verdict.why


# ------------------------------------------------------------------ the 2018 call, by the text


def test_2018_call_eligible_consortium(regions_pool: Pool, call_2018: Call) -> None:
    """Clusters in ITI1, CZ05 and SK02: three COSME countries, two less developed regions."""
    result = check(regions_pool, call_2018, ["toscana", "severovychod", "zapadne"])
    assert result.eligible
    assert all(v.passed for v in result.verdicts)


def test_2018_call_needs_a_lagging_region(regions_pool: Pool, call_2018: Call) -> None:
    """Clusters in ITI1, DE21 and FR10 are all in more developed regions: not eligible."""
    result = check(regions_pool, call_2018, ["toscana", "oberbayern", "idf"])
    assert not result.eligible
    assert [v.rule for v in result.failed] == ["lagging-region"]


def test_2018_call_non_eu_region_counts_only_when_stated(
    regions_pool: Pool, call_2018: Call
) -> None:
    """Ankara has no 2014-2020 category; a stated category makes it count."""
    plain = check(regions_pool, call_2018, ["toscana", "oberbayern", "ankara"])
    stated = check(regions_pool, call_2018, ["toscana", "oberbayern", "ankara-stated"])
    assert [v.rule for v in plain.failed] == ["lagging-region"]
    assert stated.eligible


@pytest.mark.parametrize(
    ("ids", "failing"),
    [
        (("toscana", "severovychod", "bern"), ["cosme-country"]),
        (("toscana", "severovychod", "consultancy"), ["cluster-or-network"]),
        (("toscana", "severovychod", "unregistered"), ["eccp-registered"]),
        (("toscana", "severovychod"), ["min-3-members", "min-3-countries"]),
        (("oberbayern", "consultancy", "severovychod"), ["cluster-or-network", "min-3-countries"]),
    ],
)
def test_2018_call_failures_name_their_rules(
    regions_pool: Pool, call_2018: Call, ids: tuple[str, ...], failing: list[str]
) -> None:
    """Each defect read off the call text fails exactly its rule."""
    result = check(regions_pool, call_2018, list(ids))
    assert [v.rule for v in result.failed] == failing


def test_unknown_or_repeated_member_is_bad_input(regions_pool: Pool, call_2018: Call) -> None:
    """An id not in the pool, or listed twice, is an input error naming it."""
    with pytest.raises(InputError, match="nobody"):
        check(regions_pool, call_2018, ["toscana", "nobody"])
    with pytest.raises(InputError, match="listed twice"):
        check(regions_pool, call_2018, ["toscana", "toscana"])


# --------------------------------------------------------------------------------- score terms


def test_score_terms_by_hand(regions_pool: Pool, call_2018: Call) -> None:
    """toscana {digital, health}, severovychod {textile}, idf {health}, counted by hand.

    sector pairs from two different members: digital-textile, health-textile, digital-health
    (toscana's digital with idf's health), health-textile again: 3 pairs. health-health is no pair.
    needs: toscana needs access-to-finance (severovychod offers it), severovychod needs
    digitalisation (toscana offers it), idf needs internationalisation (nobody offers it): 2.
    """
    result = check(regions_pool, call_2018, ["toscana", "severovychod", "idf"])
    values = {term: ts.value for term, ts in result.terms.items()}
    assert values == {
        Term.SECTOR_LINKS: 3.0,
        Term.NEEDS_MET: 2.0,
        Term.COUNTRIES: 3.0,
        Term.DEVELOPMENT_MIX: 2.0,  # more developed, less developed
        Term.MATURITY_MIX: 2.0,  # gold, bronze
        Term.SIZE: 3.0,
    }
    assert result.score == pytest.approx(0.5 * 3 + 2 + 3 + 2 + 0.5 * 2 - 0.5 * 3)
    assert sum(result.breakdown.values()) == pytest.approx(result.score)


def test_sector_pair_within_one_member_does_not_count(regions_pool: Pool) -> None:
    """A member bringing two sectors alone does not link them (README, "Score")."""
    objective = Objective()
    call = Call(id="x", title="x")
    alone = score_terms(members(regions_pool, "toscana"), objective, call.link_weights())
    assert alone[Term.SECTOR_LINKS].value == 0.0


def test_sector_link_weights_apply(regions_pool: Pool) -> None:
    """With a link matrix, only listed pairs count, with their weights."""
    call = Call(
        id="x",
        title="x",
        sector_links=(SectorLink(a="digital", b="textile", weight=0.25),),
    )
    terms = score_terms(
        members(regions_pool, "toscana", "severovychod"), call.objective, call.link_weights()
    )
    assert terms[Term.SECTOR_LINKS].value == 0.25


# ---------------------------------------------------------------------------------- properties


def sector_level_links(orgs: list[Organisation], links: dict[frozenset[str], float]) -> float:
    """The encoder's reformulation (encode/terms.py): pair {s,t} counts iff cover_s, cover_t, u_st >= 2."""
    out = 0.0
    for s, t in itertools.combinations(sorted({x for o in orgs for x in o.sectors}), 2):
        u = sum(1 for o in orgs if s in o.sectors or t in o.sectors)
        if u >= 2:
            out += links.get(frozenset((s, t)), 0.0)
    return out


@given(pools(max_size=7))
def test_sector_links_equal_the_sector_level_formula(pool: Pool) -> None:
    """The validator's member-pair definition agrees with the encoder's sector-level hint."""
    orgs = list(pool.organisations)
    links = Call(id="x", title="x").link_weights()
    terms = score_terms(orgs, Objective(), links)
    assert terms[Term.SECTOR_LINKS].value == sector_level_links(orgs, links)


@given(pools(max_size=7), st.randoms(use_true_random=False))
def test_verdicts_and_score_ignore_member_order(pool: Pool, rnd: Any) -> None:
    """Shuffling the members changes neither a verdict nor the score."""
    call_rules = all_rule_kinds()
    ids = [o.id for o in pool.organisations]
    shuffled = ids[:]
    rnd.shuffle(shuffled)
    call = Call(id="x", title="x", rules=call_rules)
    a, b = check(pool, call, ids), check(pool, call, shuffled)
    assert [v.passed for v in a.verdicts] == [v.passed for v in b.verdicts]
    assert a.score == pytest.approx(b.score)


def all_rule_kinds() -> tuple[AnyRule, ...]:
    return (
        MemberIn.model_validate({"id": "in", "field": "country", "values": "@cosme-2018"}),
        Size(id="size", min=2, max=5),
        MinDistinct(id="distinct", field="country", min=3),
        MinCount.model_validate(
            {"id": "count", "field": "region_category", "values": ["less_developed"], "min": 1}
        ),
        MaxPerValue(id="per", field="country", max=2),
    )


@given(pools(min_size=2, max_size=7))
def test_monotone_rules_hold_under_growth_and_shrinking(pool: Pool) -> None:
    """min_distinct and min_count never break when a member joins; member_in and max_per_value
    never break when a member leaves."""
    orgs = list(pool.organisations)
    smaller, larger = orgs[:-1], orgs
    distinct = MinDistinct(id="d", field="country", min=2)
    count = MinCount.model_validate(
        {
            "id": "c",
            "field": "region_category",
            "values": ["less_developed", "transition"],
            "min": 1,
        }
    )
    member_in = MemberIn.model_validate({"id": "i", "field": "country", "values": "@eu28"})
    per_value = MaxPerValue(id="p", field="country", max=1)
    for growing in (distinct, count):
        assert check_rule(growing, larger).passed or not check_rule(growing, smaller).passed
    for shrinking in (member_in, per_value):
        assert check_rule(shrinking, smaller).passed or not check_rule(shrinking, larger).passed


@given(pools(max_size=7))
def test_member_in_is_the_conjunction_of_its_members(pool: Pool) -> None:
    """A consortium passes member_in exactly when each member alone does."""
    rule = MemberIn.model_validate(
        {"id": "t", "field": "organisation_type", "values": ["cluster_organisation"]}
    )
    orgs = list(pool.organisations)
    assert check_rule(rule, orgs).passed == all(check_rule(rule, [o]).passed for o in orgs)


@given(pools(max_size=7))
def test_min_count_and_max_per_value_agree_with_counting(pool: Pool) -> None:
    """Counts recomputed with Counter decide min_count and max_per_value the same way."""
    orgs = list(pool.organisations)
    lagging = sum(o.region_category.value in {"less_developed", "transition"} for o in orgs)
    count = MinCount.model_validate(
        {
            "id": "c",
            "field": "region_category",
            "values": ["less_developed", "transition"],
            "min": 2,
        }
    )
    assert check_rule(count, orgs).passed == (lagging >= 2)
    per_country: dict[str, int] = {}
    for o in orgs:
        per_country[o.country] = per_country.get(o.country, 0) + 1
    per_value = MaxPerValue(id="p", field="country", max=2)
    assert check_rule(per_value, orgs).passed == (max(per_country.values()) <= 2)


@given(pools(max_size=6))
def test_score_bounds(pool: Pool) -> None:
    """Term values stay within their ranges and points sum to the score."""
    orgs = list(pool.organisations)
    terms = score_terms(orgs, Objective(), Call(id="x", title="x").link_weights())
    n = len(orgs)
    assert 0 <= terms[Term.COUNTRIES].value <= n
    assert 0 <= terms[Term.DEVELOPMENT_MIX].value <= 3
    assert 1 <= terms[Term.MATURITY_MIX].value <= min(4, n)
    assert 0 <= terms[Term.NEEDS_MET].value <= sum(len(o.needs) for o in orgs)
    assert terms[Term.SIZE].value == n
    assert total(terms) == pytest.approx(sum(ts.points for ts in terms.values()))


@given(organisations(org_id="solo"))
def test_single_member_has_no_links_and_meets_no_needs(org: Organisation) -> None:
    """Links and met needs need two different members."""
    terms = score_terms([org], Objective(), Call(id="x", title="x").link_weights())
    assert terms[Term.SECTOR_LINKS].value == 0
    assert terms[Term.NEEDS_MET].value == 0


def test_validator_never_imports_ortools() -> None:
    """check works in a process where importing ortools fails (docs/architecture.md, invariants)."""
    code = (
        "import sys; sys.modules['ortools'] = None\n"
        "from consortium_solver import check, load_call, demo_pool\n"
        "a = check(demo_pool(), load_call('COS-CLUSTER-2018-03-02'), ['demo-001','demo-002','demo-003'])\n"
        "assert 'ortools' not in [m.split('.')[0] for m in sys.modules if sys.modules[m]]\n"
        "print(a.eligible)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
