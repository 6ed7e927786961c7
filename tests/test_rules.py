"""Call models: the vocabulary, the packaged models, and refusals that name the file and the key."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from consortium_solver import reference
from consortium_solver.core.errors import InputError
from consortium_solver.rules import RULE_KINDS, Call, MemberIn, Size, load_call, packaged_calls
from tests.rule_cases import CASES


def test_every_packaged_model_loads() -> None:
    """Every file in models/ is a valid call model, listed under its id."""
    files = [e.name for e in resources.files("consortium_solver").joinpath("models").iterdir()]
    toml_files = sorted(f for f in files if f.endswith(".toml") and "clusterxchange" not in f)
    assert toml_files
    assert sorted(packaged_calls().values()) == toml_files
    for call_id in packaged_calls():
        assert load_call(call_id).id == call_id


def test_models_folder_at_the_top_is_the_packaged_one() -> None:
    """The repository's models/ is the folder shipped in the wheel."""
    top = Path(__file__).resolve().parent.parent / "models"
    packaged = Path(str(resources.files("consortium_solver").joinpath("models")))
    assert top.resolve() == packaged.resolve()


def test_2018_call_rules(call_2018: Call) -> None:
    """The 2018 model encodes the call's six conditions, with the default weights."""
    assert [r.id for r in call_2018.rules] == [
        "cosme-country",
        "cluster-or-network",
        "eccp-registered",
        "min-3-members",
        "min-3-countries",
        "lagging-region",
    ]
    countries = call_2018.rule("cosme-country")
    size = call_2018.rule("min-3-members")
    assert isinstance(countries, MemberIn) and isinstance(size, Size)
    assert set(countries.values) == set(reference.cosme_countries_2018())
    assert countries.values_name == "@cosme-2018"
    assert size.max is None  # the call sets no maximum
    assert (call_2018.search.min_size, call_2018.search.max_size) == (3, 6)
    assert call_2018.objective.model_dump() == {
        "sector_links": 0.5,
        "needs_met": 1.0,
        "countries": 1.0,
        "development_mix": 1.0,
        "maturity_mix": 0.5,
        "size": -0.5,
    }


def test_lookup_by_id_is_case_insensitive_and_accepts_the_file_stem() -> None:
    """Users may type the id in any case, or the file name."""
    assert load_call("cos-cluster-2018-03-02").id == "COS-CLUSTER-2018-03-02"


def test_every_rule_has_a_sentence(call_2018: Call) -> None:
    """Each rule reads as words, written in the model or generated (every kind of the table)."""
    for rule in [*call_2018.rules, *(case[0] for case in CASES)]:
        assert rule.describe() and "{" not in rule.describe()
    assert {case[0].kind for case in CASES} == set(RULE_KINDS)


def write(tmp_path: Path, text: str, name: str = "call.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = 'id = "T"\ntitle = "t"\n'


def test_call_from_file(tmp_path: Path) -> None:
    """A call model file with every rule kind loads."""
    path = write(
        tmp_path,
        MINIMAL
        + """
[[rules]]
id = "eu"
kind = "member_in"
field = "country"
values = ["EL", "de"]
[[rules]]
id = "s"
kind = "size"
min = 2
max = 4
[[rules]]
id = "d"
kind = "min_distinct"
field = "sectors"
min = 2
[[rules]]
id = "c"
kind = "min_count"
field = "maturity"
values = ["gold", "silver"]
min = 1
[[rules]]
id = "p"
kind = "max_per_value"
field = "country"
max = 2
[objective]
size = -1.0
""",
    )
    call = load_call(path)
    assert [r.kind for r in call.rules] == list(RULE_KINDS[:5])
    eu = call.rule("eu")
    assert isinstance(eu, MemberIn) and eu.values == ("GR", "DE")  # normalised like pool countries
    assert call.objective.size == -1.0 and call.objective.countries == 1.0


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("colour = 'red'\n", "key 'colour', value 'red': unknown key"),
        ("[[rules]]\nid='x'\nkind='max_members'\n", "unknown rule kind 'max_members'"),
        ("[[rules]]\nid='x'\nkind='size'\nmin=5\nmax=3\n", "min (5) is larger than max (3)"),
        (
            "[[rules]]\nid='x'\nkind='size'\nminimum=3\n",
            "key 'rules[0].minimum', value 3: unknown key",
        ),
        ("[[rules]]\nid='x'\nkind='size'\nmin=0\n", "key 'rules[0].min'"),
        ("[objective]\nregions = 1.0\n", "key 'objective.regions', value 1.0: unknown key"),
        ("[objective]\nsize = 'big'\n", "key 'objective.size'"),
        (
            "[[rules]]\nid='a'\nkind='size'\n[[rules]]\nid='a'\nkind='size'\n",
            "duplicate rule id 'a'",
        ),
        (
            "[[rules]]\nid='x'\nkind='member_in'\nfield='country'\nvalues='@cosme-2099'\n",
            "unknown list '@cosme-2099'",
        ),
        (
            "[[rules]]\nid='x'\nkind='member_in'\nfield='country'\nvalues=['QQ']\n",
            "unknown country code 'QQ'",
        ),
        (
            "[[rules]]\nid='x'\nkind='min_count'\nfield='maturity'\nvalues=['platinum']\nmin=1\n",
            "'platinum' is not a maturity label",
        ),
        ("[[rules]]\nid='x'\nkind='min_distinct'\nfield='colour'\nmin=1\n", "rules[0].field"),
        ("[[rules]]\nid='has space'\nkind='size'\n", "rules[0].id"),
        ("[search]\nmin_size = 7\nmax_size = 3\n", "min_size (7) is larger than max_size (3)"),
        ("[objective]\ncountries = -1.0\n", "the weight of countries must not be negative"),
    ],
)
def test_bad_call_models_name_file_and_key(tmp_path: Path, body: str, fragment: str) -> None:
    """Unknown keys and kinds and impossible values are one-line errors naming file and key."""
    path = write(tmp_path, MINIMAL + body)
    with pytest.raises(InputError) as info:
        load_call(path)
    message = str(info.value)
    assert message.startswith(str(path))
    assert fragment in message
    assert "\n" not in message


def test_bad_toml_names_the_line(tmp_path: Path) -> None:
    """A TOML syntax error is reported with its line."""
    path = write(tmp_path, 'id = "T"\ntitle = \n')
    with pytest.raises(InputError, match=r"not valid TOML: .*line 2"):
        load_call(path)


def test_unknown_call_id_lists_the_known_ones() -> None:
    """A misspelt id gets the list of packaged ids."""
    with pytest.raises(InputError, match="COS-CLUSTER-2018-03-02"):
        load_call("COS-CLUSTER-2019")


def test_sector_links_file(tmp_path: Path) -> None:
    """A symmetric matrix CSV beside the model sets the link weights; absent pairs weigh 0."""
    (tmp_path / "links.csv").write_text(
        "sector,digital,health,textile\ndigital,0,0.5,1\nhealth,0.5,0,0\ntextile,1,0,0\n",
        encoding="utf-8",
    )
    path = write(tmp_path, MINIMAL + 'sector_links_file = "links.csv"\n')
    weights = load_call(path).link_weights()
    assert weights[frozenset(("digital", "health"))] == 0.5
    assert weights[frozenset(("digital", "textile"))] == 1.0
    assert weights[frozenset(("health", "textile"))] == 0.0
    assert frozenset(("tourism", "digital")) not in weights


@pytest.mark.parametrize(
    ("matrix", "fragment"),
    [
        ("sector,digital,health\ndigital,0,0.5\nhealth,0.4,0\n", "not symmetric"),
        (
            "sector,digital,health\ndigital,0,1.5\nhealth,1.5,0\n",
            "link weights are numbers from 0 to 1",
        ),
        ("sector,digital,heath\ndigital,0,1\nheath,1,0\n", "row 1: column 3 does not name a known"),
        ("sector,digital,health\ndigital,0,x\nhealth,1,0\n", "row 2, field 'health': link weights"),
    ],
)
def test_bad_sector_links_file(tmp_path: Path, matrix: str, fragment: str) -> None:
    """A bad matrix is refused naming the matrix file, row and column."""
    (tmp_path / "links.csv").write_text(matrix, encoding="utf-8")
    path = write(tmp_path, MINIMAL + 'sector_links_file = "links.csv"\n')
    with pytest.raises(InputError) as info:
        load_call(path)
    assert fragment in str(info.value)
    assert "links.csv" in str(info.value)


def test_calls_check_lists_every_problem_of_an_authors_model_with_its_line(tmp_path: Path) -> None:
    """`consortium calls check FILE.toml`: a packaged model has no problems (exit 0); a copy with
    a misspelt rule kind, a word for a number and an unknown key gets each on its own line of
    stderr with the line of the file it is on (exit 2, no traceback); bad TOML names its line."""
    from typer.testing import CliRunner

    from consortium_solver.cli import app

    runner = CliRunner()
    packaged = Path(__file__).resolve().parent.parent / "models" / "cos-cluster-2018-03-02.toml"
    good = runner.invoke(app, ["calls", "check", str(packaged)])
    assert good.exit_code == 0 and "no problems" in good.stdout
    lines = packaged.read_text(encoding="utf-8").splitlines()
    kind = next(k for k, line in enumerate(lines) if line.strip() == 'kind = "min_distinct"')
    number = next(k for k, line in enumerate(lines) if line.strip().startswith("min = ") and k > 0)
    lines[kind] = 'kind = "min_distnct"'
    lines[number] = 'min = "three"'
    lines.insert(3, "colour = 'blue'")
    broken = tmp_path / "mine.toml"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["calls", "check", str(broken)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    said = result.stderr.splitlines()
    assert f"{broken}:4: colour: unknown key (value 'blue')" in said
    assert any(s.startswith(f"{broken}:{kind + 2}: rules[") and "unknown rule kind 'min_distnct'" in s
               for s in said)  # fmt: skip
    assert any(f":{number + 2}: rules[" in s and "(value 'three')" in s for s in said)
    assert said[-1].startswith("3 problem(s)")
    (tmp_path / "syntax.toml").write_text('id = "x"\nrules = [\n', encoding="utf-8")
    bad = runner.invoke(app, ["calls", "check", str(tmp_path / "syntax.toml")])
    assert bad.exit_code == 2 and "not valid TOML" in bad.stderr


def test_calls_json_lists_every_packaged_model_with_rules_and_sources() -> None:
    from typer.testing import CliRunner

    from consortium_solver.cli import app
    from consortium_solver.rules import load_call, packaged_calls

    result = CliRunner().invoke(app, ["calls", "--json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert [c["id"] for c in doc] == list(packaged_calls())
    for entry in doc:
        model = load_call(entry["id"])
        assert [r["id"] for r in entry["rules"]] == [r.id for r in model.rules]
        assert all(r["rule"] for r in entry["rules"])
