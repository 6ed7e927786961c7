"""Today's calls as data: for each packaged call, hand-made consortia of tests/data/ok/calls_pool.json,
eligible or failing named rules, each with its reason — judged the same by the validator, by the
CP-SAT encoding of the call's rules (members fixed), and by the builder's explanations (the pool
narrowed to the members, all of them required)."""

from __future__ import annotations

import itertools
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from consortium_solver import demo_pool, reference
from consortium_solver.builder import BuildOptions, Demands, build
from consortium_solver.cli import app
from consortium_solver.domain import Pool, Status
from consortium_solver.encode import SelectionModel, SolveLimits, encode_rule, solve
from consortium_solver.io import import_pool, read_pool
from consortium_solver.rules import Call, MinIndependent, load_call, named_list, packaged_calls
from consortium_solver.synthetic.pools import generate_pool
from consortium_solver.testing import pools
from consortium_solver.validate import check
from tests.conftest import counted, scaled

DATA = Path(__file__).parent / "data" / "ok"
ON = date(2026, 6, 1)  # the day the dated country lists are read on, unless a case says another
ONE_WORKER = SolveLimits(time_limit=10, workers=1)

# (call, members, the rules they fail (empty: eligible), words the failing verdicts give, day)
Case = tuple[str, tuple[str, ...], frozenset[str], str, date]


def case(call: str, members: str, fails: str = "", says: str = "", on: date = ON) -> Case:
    return (call, tuple(members.split()), frozenset(fails.split()), says, on)


HORIZON = "horizon-europe-ria-ia"
CASES: list[Case] = [
    # Horizon Europe RIA/IA: three independent entities in three MS/AC, one in a member state.
    case(HORIZON, "fr-uni de-pub it-np"),
    case(HORIZON, "fr-uni de-pub it-np us-co"),  # a US member may join; it does not count
    case(HORIZON, "fr-uni de-priv it-priv", "three-independent", "Acme Holding"),
    case(HORIZON, "fr-uni fr-sub de-pub", "three-independent", "only 2 independent"),
    case(HORIZON, "no-pub gb-co ch-co", "one-in-a-member-state", "needs 1"),  # ISERD's example
    case(HORIZON, "fr-uni de-pub us-co", "three-independent", "not counted"),
    case(HORIZON, "fr-uni de-pub ca-uni", "three-independent", "not counted"),  # Pillar II only
    case("horizon-europe-ria-ia-pillar-2", "fr-uni de-pub ca-uni"),
    case(HORIZON, "fr-uni de-pub gb-co"),  # the UK is associated from 2024 ...
    case(HORIZON, "fr-uni de-pub gb-co", "three-independent", "not counted", date(2023, 6, 1)),
    # EIC Pathfinder Open: the same rule; the UK counts (its association excludes the EIC Fund).
    case("eic-pathfinder-open", "fr-uni de-pub gb-co"),
    case("eic-pathfinder-open", "gb-co ch-co no-pub", "one-in-a-member-state", "needs 1"),
    case("eic-pathfinder-open", "de-priv it-priv fr-uni", "three-independent", "Acme Holding"),
    # Erasmus+ KA220: three organisations from three programme countries; others as partners.
    case("erasmus-ka220", "fr-uni de-pub rs-np"),
    case("erasmus-ka220", "fr-uni de-pub rs-np us-co"),
    case("erasmus-ka220", "fr-uni de-pub us-co", "three-programme-countries", "only 2"),
    case(
        "erasmus-ka220",
        "us-co ca-uni gb-co",
        "three-programme-countries coordinator-in-a-programme-country",
        "no member may coordinate",
    ),
    case("erasmus-ka220", "fr-uni de-pub", "min-3-organisations three-programme-countries"),
    # Interreg Europe: the programme area, public or non-profit partners, 3 countries (2 EU), a
    # public lead partner from the EU or Norway.
    case("interreg-europe", "fr-uni de-pub it-np"),
    case("interreg-europe", "no-pub it-np es-can"),  # a Norwegian public lead partner
    case(
        "interreg-europe",
        "fr-uni de-pub gb-co",
        "programme-area public-or-non-profit",
        "gb-co is not public body or non-profit",
    ),
    case("interreg-europe", "it-np es-can ch-co", "public-lead-partner", "no member may"),
    case("interreg-europe", "no-pub ch-co fr-uni", "two-eu-countries", "only 1"),
    case("interreg-europe", "fr-uni de-pub", "three-countries", "only 2"),
    case("interreg-europe", "fr-uni de-priv it-np", "public-or-non-profit", "de-priv is not"),
    case("interreg-europe", "rs-np fr-uni de-pub"),  # Serbia from the 2023 amendment ...
    case("interreg-europe", "rs-np fr-uni de-pub", "programme-area", "RS", date(2023, 6, 1)),
    # I3 strand 1: 5 partners, 5 regions, 3 countries, a non-profit coordinator in a more developed
    # region, a partner in a less developed, transition or outermost region.
    case("i3-strand-1", "fr-uni de-pub it-np pl-ld pl-pub2"),
    case("i3-strand-1", "fr-uni de-pub pl-pub2 es-can de-priv"),  # lagging by the outermost rule
    case("i3-strand-1", "fr-uni fr-sub de-pub it-np pl-ld", "five-regions", "only 4"),
    case(
        "i3-strand-1",
        "it-np pl-ld es-can de-priv it-priv",
        "coordinator-non-profit-more-developed",
        "no member may coordinate",
    ),
    case("i3-strand-1", "fr-uni de-pub pl-pub2 de-priv it-priv", "lagging-or-outermost", "needs 1"),
    case("i3-strand-1", "fr-uni de-pub it-np pl-ld no-pub", "eu-member-states five-regions"),
    case("i3-strand-1", "fr-uni de-pub it-np pl-ld", "min-5-partners five-regions", "4 members"),
    case("i3-strand-1", "pl-ld pl-pub2 de-pub de-priv de-saxony", "three-countries", "only 2"),
    # I3 strand 2a: 3 partners, 3 regions, 3 countries, a non-profit coordinator in a less
    # developed, transition or outermost region.
    case("i3-strand-2a", "pl-ld fr-uni de-pub"),
    case("i3-strand-2a", "es-can fr-uni de-pub"),  # coordinated from an outermost region
    case(
        "i3-strand-2a",
        "fr-uni de-pub pl-pub2",
        "coordinator-in-a-lagging-region",
        "region category 2021-2027",
    ),
    case("i3-strand-2a", "it-priv fr-uni de-pub", "coordinator-in-a-lagging-region", "non-profit"),
    case("i3-strand-2a", "pl-ld pl-pub2 fr-uni", "three-countries", "only 2"),
    case("i3-strand-2a", "pl-ld fr-uni us-co", "eu-member-states three-regions", "us-co (US)"),
    case("i3-strand-2a", "pl-ld fr-uni", "min-3-partners three-regions three-countries"),
]


def case_id(c: Case) -> str:
    call, members, fails, _, on = c
    verdict = "eligible" if not fails else "fails-" + "+".join(sorted(fails))
    return f"{call}-{'+'.join(members)}-{verdict}-{on.isoformat()}"


each_case = pytest.mark.parametrize("case", CASES, ids=map(case_id, CASES))


@pytest.fixture(scope="module")
def calls_pool() -> Pool:
    return read_pool(DATA / "calls_pool.json")


def _call(call_id: str, on: date) -> Call:
    return load_call(call_id, on=on)


def test_every_packaged_call_has_cases() -> None:
    """Each packaged call of today's programmes has eligible and ineligible cases, and every rule
    of it fails in one case at least."""
    todays = [c for c in packaged_calls() if c != "COS-CLUSTER-2018-03-02"]
    assert len(todays) >= 7
    for call_id in todays:
        mine = [c for c in CASES if c[0] == call_id]
        assert any(not c[2] for c in mine), call_id
        failing = set().union(*(c[2] for c in mine))
        rules = {r.id for r in load_call(call_id).rules}
        if call_id != "horizon-europe-ria-ia-pillar-2":  # the same rules as horizon-europe-ria-ia
            assert failing == rules, (call_id, rules - failing)


@each_case
def test_the_validator_judges_each_case(calls_pool: Pool, case: Case) -> None:
    """The rules that fail are exactly the ones the case names, and the verdicts say why."""
    call_id, members, fails, says, on = case
    assessment = check(calls_pool, _call(call_id, on), members)
    failed = {v.rule for v in assessment.verdicts if not v.passed}
    assert failed == fails
    assert assessment.eligible is (not fails)
    why = " ".join(v.why for v in assessment.verdicts if not v.passed)
    assert says in why


@each_case
def test_the_encoding_judges_each_case(calls_pool: Pool, case: Case) -> None:
    """Each rule's CP-SAT encoding, with the members fixed, is feasible exactly when the validator
    says the rule holds."""
    call_id, members, fails, _, on = case
    for rule in _call(call_id, on).rules:
        m = SelectionModel(calls_pool.organisations, max_size=len(calls_pool))
        encode_rule(m, rule)
        m.fix(members)
        expected = Status.INFEASIBLE if rule.id in fails else Status.OPTIMAL
        assert solve(m, ONE_WORKER).status is expected, rule.id


@each_case
def test_the_explanations_judge_each_case(calls_pool: Pool, case: Case) -> None:
    """Building on a pool of just the members, every one of them required: an eligible case is
    found as it is; an ineligible one is explained by rules it fails, in words with facts."""
    call_id, members, fails, _, on = case
    pool = Pool(
        name="case",
        organisations=tuple(o for o in calls_pool.organisations if o.id in members),
    )
    call = _call(call_id, on)
    demands = Demands(include=members, size=(len(members), len(members)))
    result = build(pool, call, demands, BuildOptions(time_limit=10, workers=1))
    if not fails:
        assert result.status is Status.OPTIMAL
        assert set(result.consortia[0].members) == set(members)
        assert check(pool, call, result.consortia[0].members).eligible
        return
    assert result.status is Status.INFEASIBLE
    conflict = result.conflict or ()
    named = {c.rule for c in conflict if not c.rule.startswith("user:")}
    assert named and named <= fails, (named, fails)
    assert all(" — " in c.why for c in conflict)


def test_control_is_followed_through_the_pool(calls_pool: Pool) -> None:
    """A controller named by its organisation's name is that organisation; a chain of control ends
    at the top; organisations under one holding share their control."""
    by_id = calls_pool.by_id
    assert by_id["fr-sub"].control == by_id["fr-uni"].control
    assert by_id["de-priv"].control == by_id["it-priv"].control == "Acme Holding"
    chain = Pool.model_validate(
        {
            "name": "chain",
            "organisations": [
                {**_plain("a"), "controlled_by": "B org"},
                {**_plain("b"), "controlled_by": "c"},
                _plain("c"),
                {**_plain("d"), "controlled_by": "e"},
                {**_plain("e"), "controlled_by": "d"},  # a loop: d and e control each other
                {**_plain("f"), "controlled_by": "Big  Group"},
                {**_plain("g"), "controlled_by": "big group"},  # the same outside controller
                {**_plain("x"), "id": "C", "controlled_by": "Big Group"},  # not "c"
            ],
        }
    )
    keys = {o.id: o.control for o in chain.organisations}
    assert keys["a"] == keys["b"] == keys["c"] == "c"
    assert keys["d"] == keys["e"] == "d"
    assert keys["f"] == keys["g"] == "Big  Group"
    assert keys["C"] == keys["f"] != keys["c"]


def _plain(org_id: str) -> dict[str, object]:
    return {
        "id": org_id,
        "name": f"{org_id.upper()} org",
        "country": "FR",
        "organisation_type": "cluster_organisation",
        "eccp_status": "registered",
        "sectors": ["digital"],
    }


def test_dated_lists_follow_the_sources() -> None:
    """The lists change on the days the sources give: the UK associated to Horizon Europe from
    2024, Switzerland from 2025 (retroactively), Canada for Pillar II only; the UK an EU member
    until 31 January 2020; Serbia in the Interreg Europe area from 11 December 2023."""
    days = (date(2023, 12, 31), date(2024, 1, 1), date(2025, 1, 1))
    horizon = {d: _counted(load_call(HORIZON, on=d)) for d in days}
    assert "GB" not in horizon[date(2023, 12, 31)] and "GB" in horizon[date(2024, 1, 1)]
    assert "CH" not in horizon[date(2024, 1, 1)] and "CH" in horizon[date(2025, 1, 1)]
    pillar_2 = load_call("horizon-europe-ria-ia-pillar-2", on=date(2025, 1, 1))
    assert "CA" in _counted(pillar_2)
    assert "CA" not in horizon[date(2025, 1, 1)]
    assert reference.countries_on("eu", date(2020, 1, 31)).count("GB") == 1
    assert "GB" not in reference.countries_on("eu", date(2020, 2, 1))
    assert len(reference.countries_on("eu", date(2026, 1, 1))) == 27
    area = "@interreg-europe"
    assert "RS" not in named_list(area, date(2023, 12, 10))
    assert "RS" in named_list(area, date(2023, 12, 11))


def _counted(call: Call) -> set[str]:
    """The countries whose members count toward the call's three independent entities."""
    rule = call.rule("three-independent")
    assert isinstance(rule, MinIndependent) and rule.values is not None
    return set(rule.values)


def test_a_call_reads_its_lists_on_its_deadline() -> None:
    """Without --date, a model with a deadline reads its lists on that day; --date wins."""
    i3 = load_call("i3-strand-1")
    assert i3.deadline == date(2026, 11, 12)
    rule = i3.rule("eu-member-states")
    assert rule.describe().endswith("(on 2026-11-12)")
    later = load_call("i3-strand-1", on=date(2027, 1, 1))
    assert later.rule("eu-member-states").describe().endswith("(on 2027-01-01)")


def test_outermost_regions_are_those_of_the_treaty() -> None:
    """The nine outermost regions of TFEU art. 349 that have NUTS-2 codes (Saint-Martin has none):
    the French five under their 2013 and their 2016-2024 codes, the Azores, Madeira, the Canaries."""
    codes = reference.outermost_regions()
    assert len(codes) == 13
    names = {reference.regions()[c].name for c in codes}
    assert len(names) == 8
    assert {"ES70", "PT20", "PT30", "FRY5", "FRA5"} <= codes


# ---------------------------------------------------------------- commands, import, generation

runner = CliRunner()


def test_check_reads_the_lists_on_the_date_given(tmp_path: Path) -> None:
    """`check --date`: the UK counts toward Horizon Europe's three from 2024, not before; a date
    that is not one is refused in one line (exit 2)."""
    pool = str(DATA / "calls_pool.json")
    args = ["check", pool, "--call", HORIZON, "--members", "fr-uni,de-pub,gb-co"]
    assert runner.invoke(app, [*args, "--date", "2024-01-01"]).exit_code == 0
    before = runner.invoke(app, [*args, "--date", "2023-12-31", "--json"])
    assert before.exit_code == 1
    assert "(on 2023-12-31)" in before.stdout
    wrong = runner.invoke(app, [*args, "--date", "31/12/2023"])
    assert wrong.exit_code == 2
    assert "YYYY-MM-DD" in wrong.output and "Traceback" not in wrong.output


def test_build_under_each_call_is_judged_eligible() -> None:
    """`build` under every packaged call on the hand-made pool: a consortium the validator
    accepts, or an infeasibility explained in words (exit 1)."""
    pool = str(DATA / "calls_pool.json")
    for call_id in packaged_calls():
        result = runner.invoke(
            app, ["build", pool, "--call", call_id, "--json", "--date", "2026-06-01"]
        )
        assert result.exit_code in (0, 1), (call_id, result.output)
        document = json.loads(result.stdout)
        if result.exit_code == 0:
            members = document["consortia"][0]["members"]
            verdict = check(read_pool(DATA / "calls_pool.json"), _call(call_id, ON), members)
            assert verdict.eligible, call_id
        else:
            assert document["conflict"], call_id


def test_calls_lists_every_model_with_its_sources() -> None:
    """`calls --json`: every packaged model, each rule with its kind, words and source."""
    listed = json.loads(runner.invoke(app, ["calls", "--json"]).stdout)
    assert {c["id"] for c in listed} == set(packaged_calls())
    for model in listed:
        assert model["rules"] and all(r["source"] for r in model["rules"]), model["id"]
    shown = runner.invoke(app, ["calls", "i3-strand-1"])
    assert "non-profit and in a more developed region" in shown.stdout
    assert "deadline: 2026-11-12" in shown.stdout


def test_the_sheet_columns_of_todays_calls(tmp_path: Path) -> None:
    """Controlled by, Non-profit, Public body, SME and Region category 2021-2027 are read in any of
    their words; an answer that is not yes or no is an error at its cell."""
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "Organisation,Country,Region,Type,ECCP,Sectors,Parent company,Gemeinnützig,"
        "Public body,KMU,Region category 2021-2027\n"
        "Alpha,IT,ITI1,cluster,yes,digital,,ja,no,nein,transition\n"
        "Beta,FR,FR10,cluster,yes,health,Alpha,oui,x,,more developed\n"
        "Gamma,ES,ES70,cluster,yes,digital,Acme Holding,maybe,,,\n",
        encoding="utf-8",
    )
    report = import_pool(sheet)
    assert [(p.column, p.value) for p in report.errors] == [("Gemeinnützig", "maybe")]
    fixed = tmp_path / "fixed.csv"
    fixed.write_text(sheet.read_text(encoding="utf-8").replace("maybe", ""), encoding="utf-8")
    pool = import_pool(fixed).pool
    assert pool is not None
    alpha, beta, gamma = pool.organisations
    assert (alpha.non_profit, alpha.public_body, alpha.sme) == (True, False, False)
    assert (
        alpha.region_category_2021 is not None and alpha.region_category_2021.value == "transition"
    )
    assert beta.controlled_by == alpha.id and beta.control == alpha.control
    assert beta.public_body is True and beta.sme is None
    assert gamma.controlled_by == "Acme Holding" and gamma.non_profit is None
    assert gamma.outermost and not alpha.outermost


def test_entities_are_drawn_beside_the_same_pool() -> None:
    """`generate --entities` adds the facts today's calls read and changes nothing else."""
    plain = generate_pool(300, 4)
    rich = generate_pool(300, 4, entities=True)
    fields = ("controlled_by", "non_profit", "public_body", "sme", "region_category_2021")
    for a, b in zip(plain.organisations, rich.organisations, strict=True):
        assert a.model_dump(exclude=set(fields)) == b.model_dump(exclude=set(fields))
    assert all(o.non_profit is not None for o in rich.organisations)
    controlled = [o for o in rich.organisations if o.controlled_by]
    assert 0.05 * 300 < len(controlled) < 0.2 * 300
    assert any(o.controlled_by in rich.by_id for o in controlled)  # inside the pool
    assert any(o.controlled_by not in rich.by_id for o in controlled)  # an outside holding


def test_infeasible_calls_are_explained_with_the_facts(calls_pool: Pool) -> None:
    """No consortium at all: the explanation names the rule and what the pool offers — no
    organisation in a member state; at most two independent entities in different countries."""
    only = {"no-pub", "gb-co", "ch-co", "us-co"}
    outside = Pool(
        name="outside", organisations=tuple(o for o in calls_pool.organisations if o.id in only)
    )
    result = build(outside, _call(HORIZON, ON), options=BuildOptions(time_limit=10, workers=1))
    assert result.status is Status.INFEASIBLE
    why = {c.rule: c.why for c in result.conflict or ()}
    assert "no organisation with country an EU member state" in why["one-in-a-member-state"]
    linked = {"fr-uni", "fr-sub", "de-priv", "it-priv"}
    holding = Pool(
        name="holding", organisations=tuple(o for o in calls_pool.organisations if o.id in linked)
    )
    result = build(holding, _call(HORIZON, ON), options=BuildOptions(time_limit=10, workers=1))
    assert result.status is Status.INFEASIBLE
    why = {c.rule: c.why for c in result.conflict or ()}
    assert "at most 2 independent of each other" in why["three-independent"]
    assert "4 organisations under 2 controllers" in why["three-independent"]


def test_the_lead_is_the_coordinator(calls_pool: Pool) -> None:
    """With a lead, the call's conditions on the coordinator hold for the lead itself: a lead in
    a more developed region cannot lead an I3 strand 2a consortium; one in a less developed
    region can."""
    call = _call("i3-strand-2a", ON)
    options = BuildOptions(time_limit=10, workers=1)
    refused = build(calls_pool, call, Demands(lead="fr-uni"), options)
    assert refused.status is Status.INFEASIBLE
    why = {c.rule: c.why for c in refused.conflict or ()}
    lead_rule = next(r for r in why if r.startswith("user:lead-coordinates"))
    assert "fr-uni is not" in why[lead_rule] and "region category 2021-2027" in why[lead_rule]
    led = build(calls_pool, call, Demands(lead="pl-ld"), options)
    assert led.status is Status.OPTIMAL
    members = led.consortia[0].members
    assert members[0] == "pl-ld"
    verdicts = check(calls_pool, call, members, extra_rules=Demands(lead="pl-ld").rules(call))
    assert verdicts.eligible
    assert any(v.rule.startswith("user:lead-coordinates") for v in verdicts.verdicts)


@settings(max_examples=scaled(60), deadline=None)
@given(pool=pools(1, 8), field=st.sampled_from(("country", "nuts2", None)), scoped=st.booleans())
@counted
def test_independence_is_a_largest_matching(pool: Pool, field: str | None, scoped: bool) -> None:
    """The validator's count of independent members equals, by brute force over every subset,
    the largest set of counted members with no two under one control nor sharing the field."""
    values = {"values": ["DE", "FR", "IT", "PL"]} if scoped and field == "country" else {}
    rule = MinIndependent.model_validate({"id": "r", "min": 1, "field": field, **values})
    orgs = list(pool.organisations)
    chosen = rule.independent(orgs)
    best = 0
    for k in range(len(orgs), 0, -1):
        for subset in itertools.combinations([o for o in orgs if rule.counts(o)], k):
            slots = {rule.slot(o) for o in subset}
            controls = {o.control for o in subset}
            if len(slots) == len(controls) == k:
                best = k
                break
        if best:
            break
    assert len(chosen) == best
    assert len({rule.slot(o) for o in chosen}) == len({o.control for o in chosen}) == best


def test_a_sheet_without_the_columns_a_call_reads_is_told_which() -> None:
    """The demo pool states no non-profit answer and no 2021-2027 category: building under I3
    strand 1 is impossible, and the explanation names the columns to add."""
    result = build(demo_pool(), load_call("i3-strand-1"), options=BuildOptions(time_limit=10))
    assert result.status is Status.INFEASIBLE
    why = " ".join(c.why for c in result.conflict or ())
    assert "add the columns Non-profit and Region category 2021-2027 to the sheet" in why


def test_calls_check_says_each_problem_of_the_new_kinds_once(tmp_path: Path) -> None:
    """Each packaged model of today's calls checks clean; an author's model with a wrong field for
    independence, a coordinator condition that is not yes or no and an unknown list gets one line
    each, on its own line of the file — no follow-on line for the emptied list of conditions."""
    for call_id, name in packaged_calls().items():
        path = Path(__file__).resolve().parent.parent / "models" / name
        assert runner.invoke(app, ["calls", "check", str(path)]).exit_code == 0, call_id
    mine = tmp_path / "mine.toml"
    mine.write_text(
        'id = "mine"\ntitle = "mine"\n\n'
        '[[rules]]\nid = "a"\nkind = "min_independent"\nmin = 3\nfield = "sectors"\n\n'
        '[[rules]]\nid = "b"\nkind = "coordinator"\n'
        'conditions = [{ field = "non_profit", values = ["perhaps"] }]\n\n'
        '[[rules]]\nid = "c"\nkind = "min_distinct"\nfield = "country"\nmin = 2\n'
        'values = "@nowhere"\n',
        encoding="utf-8",
    )
    said = runner.invoke(app, ["calls", "check", str(mine)]).stderr.splitlines()
    assert (
        said[0]
        == f"{mine}:8: rules[0].field: Input should be 'country' or 'nuts2' (value 'sectors')"
    )
    assert said[1].startswith(f"{mine}:13: rules[1].conditions[0].values: 'perhaps' is not a yes")
    assert said[2].startswith(f"{mine}:20: rules[2]: unknown list '@nowhere'")
    assert said[3].startswith("3 problem(s)")


def test_the_members_are_shown_with_what_todays_calls_read() -> None:
    """A member's block says both region categories by period, its answers and its controller by
    name."""
    shown = runner.invoke(
        app,
        ["check", str(DATA / "calls_pool.json"), "--call", "i3-strand-2a", "-m", "pl-ld,fr-sub"],
        terminal_width=200,
    ).stdout
    assert "less developed (2014-2020)" in shown or "less developed region (2014-2020)" in shown
    assert "less developed region (2021-2027)" in shown
    assert "controlled by Paris Research University" in shown
