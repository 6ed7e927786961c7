"""The organiser's path: tolerant import of participant sheets (headers, countries, regions, types,
sectors as people write them), one report of every problem, the template, and the vocabulary tables
that drive them."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from consortium_solver import reference
from consortium_solver.cli import app
from consortium_solver.domain import Pool, RegionCategory
from consortium_solver.io import ImportOptions, import_pool, read_pool
from consortium_solver.io import vocabulary as vocab
from consortium_solver.io.importer import FIELDS
from consortium_solver.io.sheets import TEMPLATE_EXAMPLES, report_workbook, template_workbook
from consortium_solver.reference.places import (
    country_suggestions,
    find_country,
    find_region,
    region_names,
)
from consortium_solver.testing import pools
from tests.conftest import DATA, counted, scaled
from tests.organiser import (
    AMBIGUOUS_REGION,
    NOT_A_REGION,
    N,
    organiser_rows,
    write_fixed_sheet,
)

runner = CliRunner()
ORGANISER = DATA / "organiser" / "participants.xlsx"
HANDWRITTEN = DATA / "organiser" / "teilnehmer.csv"
TOLERATED = DATA / "ok" / "tolerated"

# ------------------------------------------------------------------------------- the vocabulary


@pytest.mark.parametrize(
    ("field", "alias"), [(f, a) for f, aliases in vocab.HEADER_ALIASES.items() for a in aliases]
)
def test_every_header_alias_names_its_field(field: str, alias: str) -> None:
    """Each alias of the table, as written and in capitals with a note, names its field."""
    assert vocab.field_of_header(alias) == field
    assert vocab.field_of_header(f"  {alias.upper()} (required) ") == field


def test_no_alias_names_two_fields() -> None:
    seen: dict[str, str] = {}
    for field, aliases in vocab.HEADER_ALIASES.items():
        for alias in aliases:
            assert seen.setdefault(alias, field) == field, alias


@pytest.mark.parametrize(
    ("field", "word", "value"),
    [
        (f, w, v)
        for f, values in vocab.VALUE_SYNONYMS.items()
        for v, words in values.items()
        for w in words
    ],
)
def test_every_value_synonym_reads_as_its_value(field: str, word: str, value: str) -> None:
    assert vocab.value_index(field)[vocab.key(word)] == value


def test_no_value_word_means_two_values() -> None:
    for field, values in vocab.VALUE_SYNONYMS.items():
        seen: dict[str, str] = {}
        for value, words in values.items():
            for word in words:
                assert seen.setdefault(vocab.key(word), value) == value, (field, word)


@pytest.mark.parametrize(
    ("word", "sector"),
    [(w, s) for s, words in vocab.SECTOR_SYNONYMS.items() for w in words]
    + [(s.name, s.id) for s in reference.sectors().values()],
)
def test_sector_names_and_synonyms(word: str, sector: str) -> None:
    assert vocab.sector_index()[_fold(word)] == sector


def _fold(text: str) -> str:
    from consortium_solver.reference.places import fold

    return fold(text)


# ---------------------------------------------------------------------------------------- places

COUNTRIES = [
    ("Germany", "DE"),
    ("Deutschland", "DE"),
    ("germany ", "DE"),
    ("DE", "DE"),
    ("DEU", "DE"),
    ("Czech Republic", "CZ"),
    ("Czechia", "CZ"),
    ("Česko", "CZ"),
    ("UK", "GB"),
    ("United Kingdom", "GB"),
    ("Great Britain", "GB"),
    ("EL", "GR"),
    ("Greece", "GR"),
    ("Ελλάδα", "GR"),
    ("Italia", "IT"),
    ("España", "ES"),
    ("Polska", "PL"),
    ("Magyarország", "HU"),
    ("The Netherlands", "NL"),
    ("Holland", "NL"),
    ("Österreich", "AT"),
    ("Kosovo", "XK"),
    ("North Macedonia", "MK"),
    ("Türkiye", "TR"),
    ("Turkey", "TR"),
    ("Germany (DE)", "DE"),
    ("IT - Italy", "IT"),
]


@pytest.mark.parametrize(("text", "code"), COUNTRIES)
def test_countries_by_name_code_or_variant(text: str, code: str) -> None:
    assert find_country(text) == code


def test_a_misspelt_country_is_not_guessed_but_suggested() -> None:
    assert find_country("Germnay") is None
    assert country_suggestions("Germnay")[0] == "Germany (DE)"
    assert country_suggestions("XX") == []  # two letters: no guess at a code


REGIONS = [
    ("DE21", "DE", "DE21"),
    ("de21", None, "DE21"),
    ("DE212", "DE", "DE21"),  # a NUTS-3 code: its parent
    ("Oberbayern", "DE", "DE21"),
    ("Upper Bavaria", "DE", "DE21"),  # an English name
    ("München, Kreisfreie Stadt", "DE", "DE21"),  # a NUTS-3 name
    ("Lombardia", "IT", "ITC4"),
    ("Lombardy", "IT", "ITC4"),
    ("Prov. Antwerpen", "BE", "BE21"),
    ("Antwerpen", "BE", "BE21"),  # "Prov." is noise
    ("Île-de-France", "FR", "FR10"),
    ("ile de france", "FR", "FR10"),
    ("Barcelona", "ES", "ES51"),
    ("Bratislavský kraj", "SK", "SK01"),
    ("Oberbayren", "DE", "DE21"),  # a near miss, read with a warning
    ("anything at all", "EE", "EE00"),  # Estonia has one NUTS-2 region
    ("Praha", "CZ", "CZ01"),
]


@pytest.mark.parametrize(("text", "country", "code"), REGIONS)
def test_regions_by_code_or_name(text: str, country: str | None, code: str) -> None:
    assert find_region(text, country).code == code


def test_ambiguous_and_unknown_regions_give_no_code() -> None:
    bavaria = find_region("Bavaria", "DE")
    assert bavaria.code is None and set(bavaria.codes) == {f"DE2{k}" for k in range(1, 8)}
    assert find_region("Head office", "DE").codes == ()
    assert find_region("Oberbayern", "IT").code is None  # a region of another country


def test_every_packaged_region_name_points_at_known_codes() -> None:
    """The compiled names and the English names name NUTS-2 codes the package knows."""
    known = reference.regions()
    for by_country in region_names().values():
        for country, (codes, _) in by_country.items():
            assert all(code in known and known[code].country == country for code in codes)


# ------------------------------------------------------------------------------ organiser sheet


def test_the_committed_organiser_sheet_is_the_helpers() -> None:
    """tests/data/organiser/participants.xlsx is what tests/organiser.py writes (rerun
    scripts/make_organiser_sheet.py after changing the helper)."""
    sheet = openpyxl.load_workbook(ORGANISER, read_only=True).worksheets[0]
    cells = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    expected = [[c for c in row if c not in (None, "")] for row in organiser_rows()]
    assert [[c for c in r if c != ""] for r in cells] == expected


def test_the_organiser_sheet_in_one_run(tmp_path: Path) -> None:
    """Every defect reported at once: the misspelt country and the duplicate as errors; the totals
    row, a name of several regions and a non-region as warnings. Nothing else."""
    report = import_pool(ORGANISER)
    assert report.pool is None
    errors = [(p.column, p.value, p.message) for p in report.errors]
    assert errors[0] == ("Country", "Germnay", "unknown country")
    assert report.errors[0].suggestion == "did you mean Germany (DE)?"
    assert errors[1][0] == "Organisation" and errors[1][2].startswith(
        "the same organisation as row"
    )
    assert len(errors) == 2
    warnings = sorted((p.column, p.value) for p in report.warnings)
    assert warnings == sorted(
        [("Region", AMBIGUOUS_REGION), ("Region", NOT_A_REGION), ("Organisation", "Total")]
    )
    assert report.header_row == 3  # below the title row and an empty row
    assert report.columns["Contact person"] == "kept"
    assert report.columns["Organisation"] == "name"


def test_import_command_lists_every_problem_and_writes_only_the_report(tmp_path: Path) -> None:
    out, marked = tmp_path / "pool.json", tmp_path / "report.xlsx"
    result = runner.invoke(
        app, ["import", str(ORGANISER), "--out", str(out), "--report", str(marked)]
    )
    assert result.exit_code == 2, result.output
    assert "Germnay" in result.stdout and "Bavaria" in result.stdout
    assert "2 error(s)" in result.stdout and "3 warning(s)" in result.stdout
    assert not out.exists()
    workbook = openpyxl.load_workbook(marked)
    problems = list(workbook["problems"].iter_rows(min_row=2, values_only=True))
    assert [p[0] for p in problems] == ["error", "error", "warning", "warning", "warning"]
    copy = workbook["sheet (marked)"]
    commented = {(c.row, c.column) for row in copy.iter_rows() for c in row if c.comment}
    marked_cells = {(p.row, p.col) for p in import_pool(ORGANISER).problems}
    assert commented == marked_cells
    red = {
        (c.row, c.column)
        for row in copy.iter_rows()
        for c in row
        if c.fill.fgColor.rgb == "00F4B6B6"
    }
    assert red == {(p.row, p.col) for p in import_pool(ORGANISER).errors}


def test_after_fixing_the_two_cells_the_sheet_reads(tmp_path: Path) -> None:
    path = tmp_path / "fixed.xlsx"
    write_fixed_sheet(path)
    report = import_pool(path)
    assert report.errors == []
    pool = report.require_pool()
    assert len(pool) == N
    first = pool.organisations[0]
    assert first.details["Contact person"] == "Contact 01"
    assert first.details["E-mail"] == "contact01@example.org"
    assert len({o.id for o in pool.organisations}) == N


def test_group_writes_the_same_groups_to_every_out_file(tmp_path: Path) -> None:
    """`group sheet.xlsx --deterministic --out a.json --out b.xlsx --out c.html`: one run, the same
    groups in all three, contacts in the workbook."""
    sheet = tmp_path / "fixed.xlsx"
    write_fixed_sheet(sheet)
    outs = [tmp_path / "plan.json", tmp_path / "plan.xlsx", tmp_path / "plan.html"]
    args = ["group", str(sheet), "--size", "4..5", "--rounds", "2", "--deterministic"]
    args += ["--time-limit", "3"]
    for out in outs:
        args += ["--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = json.loads(outs[0].read_text())
    pool = read_pool(sheet)
    rounds = [[tuple(g["members"]) for g in r] for r in doc["rounds"]]
    overview = openpyxl.load_workbook(outs[1])["Overview"]
    header = [c.value for c in overview[1]]
    seat = {}
    for row in overview.iter_rows(min_row=2, values_only=True):
        record = dict(zip(header, row, strict=True))
        seat[record["ID"]] = (record["Round 1"], record["Round 2"])
        assert record["Contact person"] and record["E-mail"]
    for r, groups in enumerate(rounds):
        for g, members in enumerate(groups, start=1):
            assert all(seat[m][r] == g for m in members)
    page = outs[2].read_text()
    cards = page.split("<div class='card'>")[1:]
    first_round = cards[: len(rounds[0])]
    for card, members in zip(first_round, rounds[0], strict=True):
        names = [pool.by_id[m].name for m in members]
        positions = [card.find(f"<b>{_html(n)}</b>") for n in names]
        assert all(p >= 0 for p in positions) and positions == sorted(positions)


def _html(text: str) -> str:
    import html

    return html.escape(text)


# ------------------------------------------------------------------------------- the template


def test_the_template_reads_back_as_its_examples(tmp_path: Path) -> None:
    path = tmp_path / "participants.xlsx"
    result = runner.invoke(app, ["template", "--out", str(path)])
    assert result.exit_code == 0, result.output
    report = import_pool(path)
    assert report.problems == []
    pool = report.require_pool()
    assert [o.name for o in pool.organisations] == [e[0] for e in TEMPLATE_EXAMPLES]
    lombardo, moravian, bavarian = pool.organisations
    assert (lombardo.country, lombardo.nuts2, lombardo.eccp_status.value) == (
        "IT",
        "ITC4",
        "registered",
    )
    assert lombardo.sectors == ("mobility-transport-automotive", "digital")
    assert lombardo.details["Contact"] == "Anna Rossi"
    assert (moravian.country, moravian.nuts2, moravian.maturity.value) == ("CZ", "CZ08", "bronze")
    assert (bavarian.country, bavarian.nuts2) == ("DE", "DE21")
    assert bavarian.organisation_type.value == "business_network_organisation"
    workbook = openpyxl.load_workbook(path)
    validations = workbook["Participants"].data_validations.dataValidation
    assert len(validations) == 6  # country, region category, type, ECCP, sectors, maturity
    assert workbook["Lists"].sheet_state == "hidden"


def test_the_template_is_refused_with_another_suffix(tmp_path: Path) -> None:
    result = runner.invoke(app, ["template", "--out", str(tmp_path / "t.csv")])
    assert result.exit_code == 2 and "use .xlsx" in result.stderr


# ------------------------------------------------------------------------------ tolerated input

TOLERATED_WARNINGS = {
    "bad_eccp_status.json": None,  # "yes"
    "bad_organisation_type.json": None,  # "university" is other
    "bad_sectors_type_in_list.json": None,  # a null in a list is skipped
    "column_named_twice.csv": "another column has this meaning",
    "empty_id.json": None,  # an id is derived from the name
    "empty_id_cell.csv": None,
    "id_not_a_string.json": None,  # 7 -> "7"
    "misspelt_column.xlsx": "looks like the maturity label column",
    "needs_item_not_text.json": None,
    "nuts2_a_number.json": "unknown region: left empty",
    "offers_not_a_list.json": None,
    "semicolon_separated.csv": "a value in a column without a header",
    "too_many_cells.csv": "a value in a column without a header: kept as 'column K'",
    "unknown_field.json": None,  # kept as a detail
    "unknown_nuts2.csv": "unknown region: left empty",
    "unknown_nuts2.json": "unknown region: left empty",
    "unknown_sector_in_list.csv": "not a known sector: left out",
}


def test_every_tolerated_file_has_an_expectation() -> None:
    assert sorted(p.name for p in TOLERATED.iterdir()) == sorted(TOLERATED_WARNINGS)


@pytest.mark.parametrize("name", sorted(TOLERATED_WARNINGS))
def test_tolerated_files_read_with_their_warning(name: str) -> None:
    """Files the strict reader refused and the importer reads: a pool, and the warning expected."""
    report = import_pool(TOLERATED / name)
    assert report.errors == [], report.errors
    pool = report.require_pool()
    assert len(pool) >= 1
    expected = TOLERATED_WARNINGS[name]
    if expected is None:
        assert report.warnings == []
    else:
        assert any(expected in p.message for p in report.warnings), report.warnings


def test_values_read_from_tolerated_files() -> None:
    assert read_pool(TOLERATED / "bad_eccp_status.json").organisations[0].eccp_status.value == (
        "registered"
    )
    assert read_pool(TOLERATED / "id_not_a_string.json").organisations[0].id == "7"
    assert read_pool(TOLERATED / "empty_id.json").organisations[0].id == "a"  # from name "A"
    assert read_pool(TOLERATED / "unknown_field.json").organisations[0].details == {"website": "x"}
    assert read_pool(TOLERATED / "offers_not_a_list.json").organisations[0].offers == ("logistics",)


def test_the_handwritten_sheet(tmp_path: Path) -> None:
    """A sheet written the way an organiser would, in German, saved by a German Excel (';' between
    columns): read with one warning (a region name shared by several regions)."""
    report = import_pool(HANDWRITTEN)
    assert report.errors == [], report.errors
    pool = report.require_pool()
    assert len(pool) == 12
    by_name = {o.name: o for o in pool.organisations}
    assert by_name["Bayern Innovativ Cluster Mechatronik"].nuts2 == "DE25"
    assert by_name["Klaster Obalovy"].country == "CZ"
    assert [p.value for p in report.warnings] == ["Verpackung", "Bayern"]  # packaging: no sector


def test_columns_option_and_merge_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text(
        "Wer,Country,Type,ECCP,Sectors,Contact,Phone\n"
        "Alpha Cluster,Italy,Cluster,Yes,Digital,,0611\n"
        "alpha  cluster,Italy,Cluster,Yes,Health,ana@alpha.it,0622\n"
        "Beta Network,Spain,Network,No,Tourism,,\n",
        encoding="utf-8",
    )
    assert import_pool(path).errors[0].message == "no column for the organisation's name"
    report = import_pool(path, ImportOptions(columns={"name": "Wer"}))
    assert [p.message.startswith("the same organisation") for p in report.errors] == [True]
    merged = import_pool(path, ImportOptions(columns={"name": "Wer"}, merge_duplicates=True))
    pool = merged.require_pool()
    assert [o.name for o in pool.organisations] == ["Alpha Cluster", "Beta Network"]
    assert pool.organisations[0].sectors == ("digital",)  # the first row kept
    # ... with what the second adds where the first is empty, and a word for what it leaves out.
    assert pool.organisations[0].details == {"Contact": "ana@alpha.it", "Phone": "0611"}
    (said,) = [p.message for p in merged.warnings if p.message.startswith("the same")]
    assert "its Contact ana@alpha.it added" in said
    assert "its Phone 0622 left out: the first has 0611" in said
    assert "its sector health left out" in said
    assert "--merge-duplicates" in str(report.errors[0].suggestion)
    result = runner.invoke(
        app, ["import", str(path), "--columns", "name=Wer", "--merge-duplicates"]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["import", str(path), "--columns", "colour=Wer"])
    assert result.exit_code == 2 and "unknown field" in result.stderr


def test_report_of_a_clean_sheet_says_so(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(template_workbook())
    workbook = openpyxl.load_workbook(io.BytesIO(report_workbook(import_pool(path))))
    assert workbook["problems"]["A2"].value == "no problems: every row was read"


# -------------------------------------------------------------------------------- round trip

FIELD_ORDER = FIELDS  # every field of an organisation but details, in the template's order


@settings(max_examples=scaled(40), deadline=None)
@given(pool=pools(1, 8), data=st.data())
@counted
def test_any_pool_as_an_organisers_sheet_reads_back_the_same(
    pool: Pool, data: st.DataObject
) -> None:
    """A pool written as a sheet — columns shuffled, each header an alias from the table in any
    case, values in words (country names, type and status words, sector names), extra columns —
    reads back as the same pool, the extra columns as details."""
    rng = random.Random(data.draw(st.integers(0, 2**32 - 1)))
    headers = {f: rng.choice((f, *vocab.HEADER_ALIASES[f])) for f in FIELD_ORDER}
    headers = {f: h.upper() if rng.random() < 0.3 else h.title() for f, h in headers.items()}
    extra = ["Contact", "E-mail", "Notes"][: rng.randint(0, 3)]
    order = [*FIELD_ORDER, *extra]
    rng.shuffle(order)
    rows = [[headers.get(c, c) for c in order]]
    for org in pool.organisations:
        values = {
            "id": org.id,
            "name": org.name,
            "country": rng.choice((org.country, reference.countries()[org.country])),
            "nuts2": org.nuts2 or "",
            "region_category": vocab.words_for("region_category", org.region_category.value),
            "organisation_type": vocab.words_for("organisation_type", org.organisation_type.value),
            "eccp_status": vocab.words_for("eccp_status", org.eccp_status.value),
            "sectors": ", ".join(vocab.words_for("sectors", s) for s in org.sectors),
            "offers": "; ".join(org.offers),
            "needs": "; ".join(org.needs),
            "maturity": vocab.words_for("maturity", org.maturity.value),
            "region_category_2021": ""
            if org.region_category_2021 is None
            else vocab.words_for("region_category_2021", org.region_category_2021.value),
            "controlled_by": org.controlled_by or "",
            **{
                flag: ""
                if getattr(org, flag) is None
                else rng.choice(("Yes", "ja", "x") if getattr(org, flag) else ("No", "nein", "0"))
                for flag in ("non_profit", "public_body", "sme")
            },
            "rounds": rng.choice(("", "all", "All rounds"))
            if org.rounds is None
            else ", ".join(map(str, org.rounds)),
        }
        values |= {k: f"{k} of {org.id}" for k in extra}
        rows.append([values[c] for c in order])
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path = Path(data.draw(st.just("unused")))  # keeps hypothesis' database stable
    del path
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        sheet = Path(folder) / "sheet.csv"
        sheet.write_text(buffer.getvalue(), encoding="utf-8")
        report = import_pool(sheet)
    assert report.problems == [], report.problems
    got = report.require_pool()
    expected = [
        org.model_copy(update={"details": {k: f"{k} of {org.id}" for k in extra}})
        for org in pool.organisations
    ]
    assert list(got.organisations) == expected


# ---------------------------------------------------------------------------- the day's outputs


def test_no_group_is_an_answer_with_the_rule_that_stops_it(tmp_path: Path) -> None:
    """A pool without regions cannot meet the call's less developed / transition rule: group says
    so, as build does (status infeasible, exit 1, the rule named), instead of "0 groups"."""
    sheet = tmp_path / "fixed.xlsx"
    write_fixed_sheet(sheet)
    pool = read_pool(sheet)
    bare = pool.model_copy(
        update={
            "organisations": tuple(
                o.model_copy(update={"nuts2": None, "region_category": RegionCategory.UNCLASSIFIED})
                for o in pool.organisations
            )
        }
    )
    path = tmp_path / "bare.json"
    path.write_text(bare.model_dump_json())
    result = runner.invoke(app, ["group", str(path), "--size", "4..5", "--time-limit", "5"])
    assert result.exit_code == 1, result.output
    assert "impossible under these rules" in result.stdout and "lagging-region" in result.stdout
    doc = json.loads(runner.invoke(app, ["group", str(path), "--size", "4..5", "--json"]).stdout)
    assert doc["status"] == "infeasible"
    assert [c["rule"] for c in doc["conflict"]] == ["lagging-region"]


def test_the_terminal_shows_names_and_wraps_at_spaces(tmp_path: Path) -> None:
    """In an 80-column terminal: every line fits, each member's name is on the screen whole (never
    broken mid-word), the region categories and sectors are not shown as internal codes."""
    sheet = tmp_path / "fixed.xlsx"
    write_fixed_sheet(sheet)
    result = runner.invoke(
        app,
        ["group", str(sheet), "--size", "4..5", "--time-limit", "2", "--deterministic"],
        env={"COLUMNS": "80"},
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    words = {w for line in lines for w in line.replace("│", " ").split()}
    pool = read_pool(sheet)
    placed = json.loads(
        runner.invoke(
            app,
            [
                "group",
                str(sheet),
                "--size",
                "4..5",
                "--time-limit",
                "2",
                "--deterministic",
                "--json",
            ],
        ).stdout
    )["consortia"]
    for group_doc in placed:
        for member in group_doc["members"]:
            assert set(pool.by_id[member].name.split()) <= words, pool.by_id[member].name


def test_the_workbook_is_ready_for_the_day(tmp_path: Path) -> None:
    """Numbers stored as numbers, a sheet per round with page breaks between whole groups, the
    overview a mail-merge source (one row per organisation), words instead of codes."""
    sheet = tmp_path / "fixed.xlsx"
    write_fixed_sheet(sheet)
    out = tmp_path / "plan.xlsx"
    args = ["group", str(sheet), "--size", "4..5", "--rounds", "2", "--time-limit", "3"]
    result = runner.invoke(app, [*args, "--deterministic", "--out", str(out)])
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == [
        "Overview", "Round 1", "Round 2", "Per table", "Not placed", "Scores", "Run"
    ]  # fmt: skip
    overview = workbook["Overview"]
    assert overview.max_row == N + 1
    rows = list(overview.iter_rows(min_row=2, values_only=True))
    header = [c.value for c in overview[1]]
    seat = header.index("Round 1")
    assert all(isinstance(r[seat], int) for r in rows)
    assert all(isinstance(r[header.index("No.")], int) for r in rows)  # the running number
    categories = {r[header.index("Region category")] for r in rows}
    assert categories <= {"Less developed", "Transition", "More developed", "Unclassified"}
    assert not any("_" in str(r[header.index("Sectors")]) for r in rows)
    round_sheet = workbook["Round 1"]
    assert len(round_sheet.row_breaks.brk) >= 2
    starts = [c.row for c in round_sheet["A"] if str(c.value).startswith("Group ")]
    for brk in round_sheet.row_breaks.brk:
        assert brk.id + 1 in starts  # a page ends just before a group begins
    scores = list(workbook["Scores"].iter_rows(min_row=2, max_row=3, values_only=True))
    assert all(isinstance(v, (int, float)) for v in scores[0][:4])


def test_every_problem_is_a_line_of_its_own(tmp_path: Path) -> None:
    """A sheet with three bad cells and a guess: `check` prints four lines on stderr (errors first),
    nothing on stdout, exit 2."""
    path = tmp_path / "three.csv"
    path.write_text(
        "Organisation,Country,Region,Type,ECCP,Sectors\n"
        "Alpha Cluster,Germnay,,Cluster,Yes,Digital\n"
        "Beta Network,Italy,Lombardy,Club,Yes,Digital\n"
        "Gamma Hub,Spain,Atlantis,Cluster,maybe,Tourism\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["check", str(path), "--members", "a"])
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert [line.split(":")[0] for line in lines] == ["error", "error", "error", "warning"]
    assert "row 2, column 'Country', value 'Germnay'" in lines[0]
    assert "row 3, column 'Type', value 'Club'" in lines[1]
    assert "row 4, column 'ECCP', value 'maybe'" in lines[2]
    assert "row 4, column 'Region', value 'Atlantis': unknown region" in lines[3]


def test_beside_an_organisation_column_a_name_column_is_a_persons(tmp_path: Path) -> None:
    """ "Name, Organisation, Country, ...": the organisation's name is read from "Organisation", and
    "Name" (a contact person, in most sheets) is kept, with a warning saying so."""
    path = tmp_path / "names.csv"
    path.write_text(
        "Name,Organisation,Country,Type,ECCP,Sectors\n"
        "Anna Rossi,Cluster Lombardo,Italy,Cluster,Yes,Digital\n",
        encoding="utf-8",
    )
    report = import_pool(path)
    org = report.require_pool().organisations[0]
    assert org.name == "Cluster Lombardo" and org.details == {"Name": "Anna Rossi"}
    assert [(p.column, p.severity) for p in report.problems] == [("Name", "warning")]


def test_a_sheet_of_the_other_kind_says_which_kind_it_looks_like(tmp_path: Path) -> None:
    """`import` of the exchange template: exit 2, the first problem says it looks like a
    ClusterXchange participant sheet (naming its columns) and how to read it; the column line says
    what the columns it did understand were read as, errors or not. `import --exchange` of the
    event's template: the other way round."""
    exchange, event = tmp_path / "exchange.xlsx", tmp_path / "event.xlsx"
    assert runner.invoke(app, ["template", "--exchange", "-o", str(exchange)]).exit_code == 0
    assert runner.invoke(app, ["template", "-o", str(event)]).exit_code == 0
    report = import_pool(exchange)
    first = report.errors[0]
    assert first.message.startswith("this looks like a ClusterXchange participant sheet")
    assert "Role" in first.message and "--exchange" in str(first.suggestion)
    assert report.columns["Organisation"] == "name"  # read as, though the sheet has errors
    wide = {"COLUMNS": "300"}  # each problem on one line of the table
    shown = runner.invoke(app, ["import", str(exchange)], env=wide)
    assert shown.exit_code == 2 and "looks like a ClusterXchange" in " ".join(shown.output.split())
    other = runner.invoke(app, ["import", "--exchange", str(event)], env=wide)
    assert other.exit_code == 2
    assert "looks like an event's sheet of organisations" in " ".join(other.output.split())
