"""The command line: exit codes, documents, and one-line refusals of every file in tests/data/bad."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consortium_solver import read_pool
from consortium_solver.cli import app
from consortium_solver.group import no_call
from consortium_solver.io.exchanges import read_exchange_pool
from consortium_solver.reference.places import country_name
from consortium_solver.rules import Size
from consortium_solver.validate import check_grouping
from tests.conftest import DATA

runner = CliRunner()
POOL = str(DATA / "ok" / "regions_pool.json")
BAD = DATA / "bad"

# What each bad file's one-line message must say (besides the file name).
BAD_FRAGMENTS = {
    "pool_truncated_json.json": "invalid JSON",
    "pool_top_level_array.json": "a pool is a JSON object",
    "pool_no_organisations.json": "no organisations in the pool",
    "pool_duplicate_id.json": "organisations[1] (id 'a'), key 'name', value 'A': the same organisation as organisations[0]",
    "pool_unknown_country.json": "organisations[0] (id 'a'), key 'country', value 'XX': unknown country",
    "pool_nuts2_outside_country.json": "lies in France, not in Italy",
    "pool_no_sectors.json": "key 'sectors': no sector",
    "pool_unknown_sector.json": "value 'rocket-science': unknown sector",
    "pool_missing_name.json": "no key for the organisation's name",
    "pool_sectors_not_a_list.json": "key 'sectors', value '5': unknown sector",
    "pool_bad_maturity.json": "key 'maturity', value 'platinum': unknown maturity label; write one of: Gold",
    "pool_bad_region_category.json": "key 'region_category', value 'poor': unknown region category",
    "pool_unknown_top_level_key.json": "field 'title': unknown top-level key",
    "pool_misspelt_column.csv": "row 1: no column for the country; rename it 'Country', or say --columns country=contry",
    "pool_missing_column.csv": "row 1: no column for the ECCP status",
    "pool_duplicate_id.csv": "row 3 (id 'a'), column 'name', value 'A Cluster': the same organisation as row 2",
    "pool_unknown_country.csv": "row 2 (id 'a'), column 'country', value 'XX': unknown country",
    "pool_header_only.csv": "no organisations in the sheet",
    "pool_empty_file.csv": "no header row found",
    "pool_not_utf8.csv": "not UTF-8",
    "pool_unclosed_quote.csv": "malformed CSV",
    "pool_empty_name_cell.csv": "row 2 (id 'a'), column 'name': no organisation name",
    "pool_not_a_workbook.xlsx": "not a readable .xlsx workbook",
    "pool_number_in_maturity.xlsx": "row 3 (id '2'), column 'maturity', value '3'",
    "pool_unknown_format.txt": "unknown pool format '.txt'",
    "call_unknown_key.toml": "key 'rules[0].maximum', value 5: unknown key",
    "call_unknown_kind.toml": "unknown rule kind 'max_members'",
    "call_min_larger_than_max.toml": "min (6) is larger than max (3)",
    "call_not_toml.toml": "not valid TOML",
    "call_duplicate_rule_id.toml": "duplicate rule id 'x'",
    "call_unknown_value_list.toml": "unknown list '@cosme-2099'",
    "call_unknown_objective_term.toml": "key 'objective.regions', value 1.0: unknown key",
    "call_weight_not_a_number.toml": "key 'objective.size', value 'big'",
    "pool_missing_country.json": "no key for the country",
    "pool_name_not_text.json": "field 'name': Input should be a valid string",
    "pool_description_not_text.json": "field 'description', value '5'",
    "pool_organisations_not_a_list.json": "'organisations' must be a list of organisations",
    "pool_organisation_not_an_object.json": "organisations[0]: an organisation is a JSON object",
    "pool_missing_pool_name.json": "field 'name': missing value",
    "pool_bad_organisation_type.csv": "value 'club': unknown organisation type",
    "pool_bad_eccp_status.csv": "row 2 (id 'a'), column 'eccp_status', value 'maybe': unknown ECCP status",
    "pool_empty_sectors_cell.csv": "column 'sectors': no sector",
    "pool_region_in_another_country.csv": "Oberbayern is a region of Germany (DE21), not of Italy",
    "pool_unknown_type_word.csv": "value 'Kindergarten': unknown organisation type; write one of",
    "pool_incomplete_row.csv": "an incomplete row: no country, organisation type, sectors",
    "pool_no_header_row.csv": "no header row found",
    "call_missing_title.toml": "key 'title': missing key",
    "call_bad_rule_id.toml": "key 'rules[0].id', value 'no spaces allowed'",
    "call_size_min_zero.toml": "key 'rules[0].min', value 0",
    "call_member_in_unknown_country.toml": "unknown country code 'QQ'",
    "call_member_in_unknown_field.toml": "key 'rules[0].field', value 'website'",
    "call_min_count_no_values.toml": "key 'rules[0].values': Tuple should have at least 1 item",
    "call_max_per_value_zero.toml": "key 'rules[0].max', value 0",
    "call_negative_weight.toml": "the weight of countries must not be negative",
    "call_search_min_above_max.toml": "min_size (5) is larger than max_size (3)",
    "call_rules_not_a_list.toml": "key 'rules', value 'size'",
    "call_missing_sector_links_file.toml": "field 'sector_links_file', value 'nowhere.csv'",
    "call_missing_id.toml": "key 'id': missing key",
    "call_programme_not_text.toml": "key 'programme', value 2018",
    "call_rule_text_not_text.toml": "key 'rules[0].text': Input should be a valid string",
    "call_min_distinct_unknown_field.toml": "key 'rules[0].field', value 'colour'",
    "call_include_no_members.toml": "key 'rules[0].members': Tuple should have at least 1 item",
}


def test_every_bad_file_has_an_expectation() -> None:
    """The corpus and the table above list the same files (at least 60)."""
    assert sorted(
        p.name for p in BAD.iterdir() if p.is_file() and not p.name.startswith("hostile_")
    ) == sorted(BAD_FRAGMENTS)
    assert len(BAD_FRAGMENTS) >= 55  # what the importer now reads is in tests/data/ok/tolerated


@pytest.mark.parametrize("name", sorted(BAD_FRAGMENTS))
def test_bad_input_is_one_line_and_exit_2(name: str) -> None:
    """Each defective file gets exit 2 and one line on stderr naming the file and the defect."""
    path = BAD / name
    if name.startswith("call_"):
        args = ["check", POOL, "--members", "toscana,severovychod,zapadne", "--call", str(path)]
    else:
        args = ["check", str(path), "--members", "a,b,c"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {path}")
    assert BAD_FRAGMENTS[name] in lines[0]
    assert "Traceback" not in result.output


def test_check_eligible_exit_0() -> None:
    """ITI1, CZ05 and SK02 clusters: eligible, exit 0, every rule ticked."""
    result = runner.invoke(app, ["check", POOL, "--members", "toscana,severovychod,zapadne"])
    assert result.exit_code == 0, result.output
    assert "eligible" in result.stdout and "not eligible" not in result.stdout
    assert "✗" not in result.stdout


def test_check_not_eligible_exit_1_names_the_rule() -> None:
    """ITI1, DE21 and FR10 clusters: not eligible, exit 1, the lagging-region rule named."""
    result = runner.invoke(app, ["check", POOL, "--members", "toscana,oberbayern,idf"])
    assert result.exit_code == 1
    assert "not eligible: fails lagging-region" in result.stdout


def test_check_json_document() -> None:
    """--json prints only the document: verdicts, score, breakdown summing to the score."""
    result = runner.invoke(app, ["check", POOL, "--members", "toscana,oberbayern,idf", "--json"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["eligible"] is False
    assert doc["members"] == ["toscana", "oberbayern", "idf"]
    assert [v["rule"] for v in doc["verdicts"] if not v["passed"]] == ["lagging-region"]
    assert set(doc["breakdown"]) == {
        "sector_links",
        "needs_met",
        "countries",
        "development_mix",
        "maturity_mix",
        "size",
    }
    assert sum(doc["breakdown"].values()) == pytest.approx(doc["score"])


def test_check_without_pool_uses_the_demo_pool() -> None:
    """POOL may be left out: the packaged demo pool (what `make run` shows)."""
    result = runner.invoke(app, ["check", "--members", "demo-001,demo-002,demo-003", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["pool"] == "demo"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["check", POOL, "--members", "toscana,nobody"], "value 'nobody'"),
        (["check", POOL, "--members", ","], "no member ids given"),
        (["check", POOL, "--members", "toscana", "--call", "NOPE"], "unknown call 'NOPE'"),
        (["check", "missing.json", "--members", "a"], "missing.json: no such file"),
        (["calls", "NOPE"], "unknown call 'NOPE'"),
    ],
)
def test_usage_errors_exit_2(args: list[str], fragment: str) -> None:
    """Unknown ids, calls and files are bad input: one line, exit 2."""
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert fragment in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_missing_option_is_a_usage_error() -> None:
    """Leaving out --members is a usage error (exit 2)."""
    assert runner.invoke(app, ["check", POOL]).exit_code == 2


def test_calls_lists_and_shows() -> None:
    """`calls` lists the packaged models; `calls ID` shows each rule in words."""
    listing = runner.invoke(app, ["calls"])
    assert listing.exit_code == 0
    assert "COS-CLUSTER-2018-03-02" in listing.stdout
    shown = runner.invoke(app, ["calls", "COS-CLUSTER-2018-03-02"])
    assert shown.exit_code == 0
    for rule_id in ("cosme-country", "min-3-countries", "lagging-region"):
        assert rule_id in shown.stdout


def test_sectors_lists_the_taxonomy() -> None:
    """`sectors` lists the ids pools use."""
    result = runner.invoke(app, ["sectors"])
    assert result.exit_code == 0
    assert "agri-food" in result.stdout and "Agri-food" in result.stdout


@pytest.mark.parametrize("name", ["pool", "result", "grouping", "call", "check"])
def test_schema_is_json_schema(name: str) -> None:
    """`schema NAME` prints a JSON Schema object with properties."""
    result = runner.invoke(app, ["schema", name])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["type"] == "object" and schema["properties"]


def test_pool_schema_validates_the_demo_pool_shape() -> None:
    """The pool schema names the fields of the pool format (README, "Pools")."""
    schema = json.loads(runner.invoke(app, ["schema", "pool"]).stdout)
    org = schema["$defs"]["Organisation"]["properties"]
    assert set(org) == {
        "id",
        "name",
        "details",
        "country",
        "nuts2",
        "region_category",
        "organisation_type",
        "eccp_status",
        "sectors",
        "offers",
        "needs",
        "maturity",
        "rounds",
        "region_category_2021",
        "controlled_by",
        "non_profit",
        "public_body",
        "sme",
    }
    assert "attends" in org["rounds"]["description"]


def test_installed_entry_point_has_no_traceback(tmp_path: Path) -> None:
    """The real console script answers a misspelt CSV column in one line, exit 2."""
    exe = shutil.which("consortium") or str(Path(sys.executable).parent / "consortium")
    bad = BAD / "pool_misspelt_column.csv"
    out = subprocess.run(
        [exe, "check", str(bad), "--members", "a"], capture_output=True, text=True, check=False
    )
    assert out.returncode == 2
    assert out.stderr.strip().endswith("rename it 'Country', or say --columns country=contry")
    assert "Traceback" not in out.stderr and out.stdout == ""


# ------------------------------------------------------------------------------------------ build

RESULT_KEYS = {
    "call",
    "pool",
    "status",
    "objective",
    "bound",
    "wall_time_s",
    "seed",
    "workers",
    "consortia",
    "interrupted",
}


def test_build_demo_pool_json_document() -> None:
    """`build --json` on the demo pool prints exactly the result document, proven optimal.

    One worker in deterministic time: the proof takes the same work on a loaded machine as on an
    idle one (about 4 s of wall time here), so the assertion does not depend on the machine's load.
    """
    result = runner.invoke(
        app, ["build", "--json", "--deterministic", "--workers", "1", "--time-limit", "60"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) == RESULT_KEYS
    assert doc["status"] == "optimal" and doc["objective"] == doc["bound"]
    (consortium,) = doc["consortia"]
    assert set(consortium) == {"members", "score", "breakdown"}
    assert sum(consortium["breakdown"].values()) == pytest.approx(consortium["score"])
    verdict = runner.invoke(app, ["check", "--members", ",".join(consortium["members"]), "--json"])
    assert verdict.exit_code == 0
    assert json.loads(verdict.stdout)["score"] == pytest.approx(consortium["score"])


def test_build_two_countries_exit_1_names_the_rule() -> None:
    """A two-country pool has no eligible consortium: exit 1, the rule and the facts named."""
    pool = str(DATA / "ok" / "two_countries_pool.csv")
    result = runner.invoke(app, ["build", pool, "--json"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["status"] == "infeasible" and doc["consortia"] == []
    assert [c["rule"] for c in doc["conflict"]] == ["min-3-countries"]
    assert "DE, FR" in doc["conflict"][0]["why"]
    text = runner.invoke(app, ["build", pool])
    assert text.exit_code == 1
    assert "min-3-countries" in text.stdout and "impossible under these rules" in text.stdout


@pytest.mark.parametrize("suffix", [".json", ".csv", ".xlsx", ".md"])
def test_build_writes_the_result(tmp_path: Path, suffix: str) -> None:
    """--out writes the result in the format its suffix names."""
    out = tmp_path / f"result{suffix}"
    result = runner.invoke(app, ["build", POOL, "--top", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file() and out.stat().st_size > 0
    if suffix == ".json":
        assert len(json.loads(out.read_text())["consortia"]) == 2
    if suffix == ".csv":
        assert out.read_text().splitlines()[0].startswith("rank,score,member")
    if suffix == ".md":
        assert out.read_text().startswith("# Consortia for COS-CLUSTER-2018-03-02")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--size", "6..3"], "field '--size', value '6..3'"),
        (["--size", "three"], "expected A..B"),
        (["--include", "nobody"], "field '--include', value 'nobody'"),
        (["--lead", "nobody"], "field '--lead', value 'nobody'"),
        (["--out", "result.pdf"], "cannot write a result as '.pdf'"),
    ],
)
def test_build_bad_options_exit_2(tmp_path: Path, args: list[str], fragment: str) -> None:
    """Impossible sizes, unknown ids and unknown output formats: one line, exit 2, no file."""
    result = runner.invoke(app, ["build", POOL, *args])
    assert result.exit_code == 2
    assert fragment in result.stderr and len(result.stderr.splitlines()) == 1
    assert not Path("result.pdf").exists()


# ------------------------------------------------------------------------------------------ group

GROUP_KEYS = RESULT_KEYS | {"unassigned", "ineligible", "repeated_pairs"}


def test_group_json_document() -> None:
    """`group --json`: groups in consortia, everyone else in unassigned, reasons for the ineligible."""
    result = runner.invoke(app, ["group", POOL, "--json", "--time-limit", "5"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) == GROUP_KEYS
    placed = [m for c in doc["consortia"] for m in c["members"]]
    assert len(placed) == len(set(placed))
    assert {i["id"] for i in doc["ineligible"]} == {"bern", "consultancy", "unregistered"}
    assert set(doc["unassigned"]) >= {"bern", "consultancy", "unregistered"}
    assert not set(placed) & set(doc["unassigned"])


@pytest.mark.parametrize("suffix", [".json", ".csv", ".xlsx", ".html"])
def test_group_writes_every_format(tmp_path: Path, suffix: str) -> None:
    """--out writes the grouping: one row per organisation in CSV and the workbook's overview,
    cards and the search box in HTML."""
    out = tmp_path / f"groups{suffix}"
    result = runner.invoke(app, ["group", POOL, "--time-limit", "3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file()
    if suffix == ".csv":
        lines = out.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("round,group,id,Organisation,Country,Region")
        assert len(lines) == 1 + 10  # one row per organisation of the pool
    if suffix == ".html":
        page = out.read_text(encoding="utf-8")
        assert "id='find'" in page and "class='card'" in page and "not eligible" in page
    if suffix == ".xlsx":
        import openpyxl

        workbook = openpyxl.load_workbook(out)
        assert workbook.sheetnames == ["Overview", "Groups", "Not placed", "Scores", "Run"]
        assert workbook["Overview"].max_row == 1 + 10  # one row per organisation of the pool


def test_group_impossible_rounds_exit_1() -> None:
    """Asking for more rounds than new meetings allow: exit 1 and the counting argument."""
    pool = str(DATA / "ok" / "two_countries_pool.csv")
    result = runner.invoke(
        app, ["group", pool, "--call", "none", "--size", "2..2", "--rounds", "4", "--json"]
    )
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["status"] == "infeasible" and "at most 3 rounds" in doc["note"]


def test_readme_social_golfers(tmp_path: Path) -> None:
    """The README's two commands: 32 generated organisations, 10 rounds of 8 groups of 4, and no
    pair of organisations in a group twice (counted here from the JSON document)."""
    pool = tmp_path / "golfers.json"
    assert (
        runner.invoke(app, ["generate", "--n", "32", "--seed", "1", "--out", str(pool)]).exit_code
        == 0
    )
    args = ["group", str(pool), "--call", "none", "--size", "4..4", "--rounds", "10"]
    result = runner.invoke(app, [*args, "--time-limit", "2", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["status"] == "feasible" and len(doc["rounds"]) == 10 and not doc["unassigned"]
    pairs = [
        frozenset((a, b))
        for groups in doc["rounds"]
        for g in groups
        for i, a in enumerate(g["members"])
        for b in g["members"][i + 1 :]
    ]
    assert all(len(g["members"]) == 4 for groups in doc["rounds"] for g in groups)
    assert len(pairs) == 10 * 8 * 6 and len(set(pairs)) == len(pairs)
    rounds = [[g["members"] for g in groups] for groups in doc["rounds"]]
    verdict = check_grouping(
        read_pool(pool), no_call(), rounds, extra_rules=[Size(id="s", min=4, max=4)]
    )
    assert verdict.valid and verdict.repeats == 0, verdict.problems


def test_group_without_groups_still_lists_everyone(tmp_path: Path) -> None:
    """An impossible request written as CSV keeps one row per organisation, none in a group."""
    pool = str(DATA / "ok" / "two_countries_pool.csv")
    out = tmp_path / "groups.csv"
    args = ["group", pool, "--call", "none", "--size", "2..2", "--rounds", "4", "--out", str(out)]
    assert runner.invoke(app, args).exit_code == 1
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + 4
    assert all(line.split(",")[1] == "" and "at most 3 rounds" in line for line in lines[1:])


def test_group_mdgp_research_mode() -> None:
    """--mdgp reads an MDGPLIB file and answers with the same document, members '0'..'n-1'."""
    path = Path(__file__).resolve().parent.parent / "instances" / "mdgplib" / "instances"
    result = runner.invoke(
        app, ["group", "--mdgp", str(path / "Geo_n010_ss_01.txt"), "--json", "--time-limit", "1"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    members = sorted(int(m) for c in doc["consortia"] for m in c["members"])
    assert members == list(range(10))
    assert doc["objective"] == pytest.approx(3660.671, abs=1e-3)  # best_known.csv: exact optimum


def test_group_mdgp_reads_gzipped_files_and_refuses_broken_ones(tmp_path: Path) -> None:
    """A gzipped MDGPLIB file answers as the plain one; a file that is not gzip gets one line
    in words and exit 2, no traceback."""
    plain = (
        Path(__file__).resolve().parent.parent / "instances/mdgplib/instances/Geo_n010_ss_01.txt"
    )
    packed = tmp_path / "Geo_n010_ss_01.txt.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    args = ["group", "--mdgp", str(packed), "--json", "--time-limit", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["objective"] == pytest.approx(3660.671, abs=1e-3)
    broken = tmp_path / "broken.txt.gz"
    broken.write_bytes(b"plain text, not gzip")
    result = runner.invoke(app, ["group", "--mdgp", str(broken), "--time-limit", "1"])
    assert result.exit_code == 2
    assert "not a readable gzip file" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--together", "toscana"], "field '--together', value 'toscana': expected two ids"),
        (["--apart", "toscana,nobody"], "field '--apart', value 'toscana,nobody': no organisation"),
        (["--out", "groups.pdf"], "cannot write a grouping as '.pdf'"),
        (["--size", "0..2"], "field '--size'"),
    ],
)
def test_group_bad_options_exit_2(args: list[str], fragment: str) -> None:
    """Malformed pairs, unknown ids, unknown formats, impossible sizes: one line, exit 2."""
    result = runner.invoke(app, ["group", POOL, *args])
    assert result.exit_code == 2
    assert fragment in result.stderr and len(result.stderr.splitlines()) == 1


def test_generate_twice_gives_identical_files(tmp_path: Path) -> None:
    """`consortium generate --n 300 --seed 7 --out p.json` twice: the same bytes; CSV as well."""
    for suffix in (".json", ".csv"):
        paths = [tmp_path / f"p{k}{suffix}" for k in (1, 2)]
        for path in paths:
            result = runner.invoke(
                app, ["generate", "--n", "300", "--seed", "7", "--out", str(path)]
            )
            assert result.exit_code == 0, result.output
        assert paths[0].read_bytes() == paths[1].read_bytes()
    doc = json.loads((tmp_path / "p1.json").read_text(encoding="utf-8"))
    assert len(doc["organisations"]) == 300
    check = runner.invoke(app, ["check", str(tmp_path / "p1.csv"), "--members", "org-001,org-002"])
    assert check.exit_code in (0, 1), check.output  # a verdict, not an input error


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--n", "0"], "field '--n', value 0"),
        (["--n", "9", "--countries", "DE,QQ"], "field '--countries', value 'QQ'"),
        (["--n", "9", "--sectors", "steel"], "field '--sectors', value 'steel'"),
        (["--n", "9", "--lagging-share", "1.5"], "field '--lagging-share', value 1.5"),
        (["--n", "9", "--out", "pool.txt"], "field '--out', value 'pool.txt'"),
    ],
)
def test_generate_bad_options_exit_2(args: list[str], fragment: str, tmp_path: Path) -> None:
    """One line naming the option, exit 2, and no file written."""
    out = tmp_path / "pool.json"
    extra = [] if "--out" in args else ["--out", str(out)]
    result = runner.invoke(app, ["generate", *args, *extra])
    assert result.exit_code == 2
    assert fragment in result.stderr and len(result.stderr.splitlines()) == 1
    assert not out.exists()


def test_result_schemas_name_each_documents_keys() -> None:
    """`schema result` is the build's document, `schema grouping` the grouping's: each lists the keys
    its command writes (the optional ones included), and no key of the other."""
    build_doc = json.loads(runner.invoke(app, ["schema", "result"]).stdout)["properties"]
    group_doc = json.loads(runner.invoke(app, ["schema", "grouping"]).stdout)["properties"]
    assert set(build_doc) == RESULT_KEYS | {"conflict"}
    assert set(group_doc) == GROUP_KEYS | {
        "rounds",
        "note",
        "conflict",
        "hosts",
        "balance",
        "edited",
        "problems",
    }


def test_no_schedule_without_repeats_still_gives_a_plan(tmp_path: Path) -> None:
    """18 organisations in groups of 3 for 8 rounds (a schedule the search does not find in a
    second of work): the best schedule is printed and written all the same, its repeated pair
    named, status unknown, exit 1 — an organiser is never left with nothing (issue 15)."""
    from consortium_solver.io import write_pool
    from consortium_solver.synthetic.pools import generate_pool

    path, out = tmp_path / "g18.json", tmp_path / "plan.json"
    write_pool(generate_pool(18, 1), path)
    args = ["group", str(path), "--call", "none", "--size", "3..3", "--rounds", "8"]
    result = runner.invoke(app, [*args, "--deterministic", "--time-limit", "1", "--out", str(out)])
    assert result.exit_code == 1, result.output
    doc = json.loads(out.read_text())
    assert doc["status"] == "unknown" and len(doc["rounds"]) == 8
    assert doc["repeated_pairs"] and "meet twice" in result.stdout
    met: dict[frozenset[str], int] = {}
    for groups in doc["rounds"]:
        for grp in groups:
            for i, a in enumerate(grp["members"]):
                for b in grp["members"][i + 1 :]:
                    met[frozenset((a, b))] = met.get(frozenset((a, b)), 0) + 1
    assert sorted(sorted(p) for p, n in met.items() if n > 1) == doc["repeated_pairs"]


def test_a_narrow_terminal_lists_members_one_to_a_block_with_names_whole() -> None:
    """At 80 columns (`make run`, a pipe) each member is a block: its name whole with its id, then
    its facts in words; a wide terminal keeps the table of fields."""
    from consortium_solver import demo_pool

    narrow = runner.invoke(app, ["build", "--time-limit", "5"], env={"COLUMNS": "80"}).stdout
    assert "NUTS-2 region" not in narrow
    long_names = [o.name for o in demo_pool().organisations if len(o.name) <= 70]
    shown = [name for name in long_names if name in narrow]
    assert shown and all(f"{name} (" in narrow for name in shown)
    assert " region · " in narrow and re.search(r"(no|Gold|Silver|Bronze) label", narrow)
    assert "proven best" in narrow and "Sector links" in narrow  # words, not codes
    assert not re.search(r"\b(optimal|sector_links|less_developed)\b", narrow)
    wide = runner.invoke(app, ["build", "--time-limit", "5"], env={"COLUMNS": "200"}).stdout
    assert "NUTS-2 region" in wide


def test_an_exchange_plan_fits_a_narrow_terminal_with_names_whole() -> None:
    """At 80 columns each exchange is a block (visitor and country, → host and country, days, km,
    the lump sum), no line wider than the terminal; at 200 the seven-column table."""
    cxc = str(Path(__file__).resolve().parent.parent / "instances" / "exchange" / "cxc-60.json")
    args = ["exchange", cxc, "--time-limit", "3", "--deterministic"]
    narrow = runner.invoke(app, args, env={"COLUMNS": "80"})
    assert narrow.exit_code == 0, narrow.output
    lines = narrow.stdout.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80
    doc = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    pool = read_exchange_pool(cxc)
    first = doc["exchanges"][0]
    visitor, host = pool.by_id[first["visitor"]], pool.by_id[first["host"]]
    assert f"{visitor.name} ({country_name(visitor.country)}) · {visitor.id}" in narrow.stdout
    assert f"→ {host.name} ({country_name(host.country)}) · {host.id}" in narrow.stdout
    assert f"{first['working_days']} working days · " in narrow.stdout
    wide = runner.invoke(app, args, env={"COLUMNS": "200"}).stdout
    assert "┃ visitor" in wide and "→" not in wide
