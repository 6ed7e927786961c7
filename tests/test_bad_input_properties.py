"""Bad input under hypothesis: valid pool and call files, damaged at random (a field set to a value
of the wrong kind or out of range, a key dropped or added, the text cut or garbled), are answered
with a verdict (exit 0 or 1) when still readable — warnings, if any, one line each on stderr — else
with exit 2 and one line per problem on stderr — never a traceback, never an internal error
(exit 3)."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from consortium_solver.cli import app
from consortium_solver.domain import Organisation, Pool
from consortium_solver.io import pool_to_csv, pool_to_json, pool_to_xlsx
from consortium_solver.io.importer import MAX_LINES
from consortium_solver.rules import packaged_calls
from consortium_solver.testing import pools
from tests.conftest import counted, scaled

runner = CliRunner()
FIELDS = tuple(Organisation.model_fields)
ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.lists(st.one_of(st.text(max_size=6), st.integers()), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
    st.sampled_from(["", " ", "XX", "ZZ99", "EL", "UK", "less_developed", "gold", "digital"]),
)


def judged(path: Path, members: str, call: Path | None = None) -> None:
    """Run `consortium check` on the file: a verdict, or one line and exit 2."""
    args = ["check", str(path), "--members", members]
    if call is not None:
        args = ["check", "--members", members, "--call", str(call)]
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) <= MAX_LINES + 1, result.stderr
    if result.exit_code == 2:
        assert result.stdout == ""
        assert any(line.startswith("error: ") for line in lines), result.stderr
        assert all(line.startswith(("error: ", "warning: ")) for line in lines), result.stderr
    else:
        assert all(line.startswith("warning: ") for line in lines), result.stderr


def damage_document(doc: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    orgs = doc["organisations"]
    how = data.draw(st.sampled_from(("set", "drop", "add", "top")))
    k = data.draw(st.integers(0, len(orgs) - 1))
    if how == "set":
        orgs[k][data.draw(st.sampled_from(FIELDS))] = data.draw(ODD_VALUES)
    elif how == "drop":
        orgs[k].pop(data.draw(st.sampled_from(FIELDS)), None)
    elif how == "add":
        orgs[k][data.draw(st.text(min_size=1, max_size=8))] = data.draw(ODD_VALUES)
    else:
        doc[data.draw(st.sampled_from(("name", "organisations", "description", "extra")))] = (
            data.draw(ODD_VALUES)
        )
    return doc


@settings(max_examples=scaled(60))
@given(pool=pools(1, 5), data=st.data())
@counted
def test_damaged_json_pools(pool: Pool, data: st.DataObject) -> None:
    doc = damage_document(json.loads(pool_to_json(pool)), data)
    text = json.dumps(doc, allow_nan=True)
    if data.draw(st.booleans()):
        cut = data.draw(st.integers(0, len(text)))
        text = text[:cut] + data.draw(st.text(max_size=5))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pool.json"
        path.write_text(text, encoding="utf-8")
        judged(path, "o0,o1,o2")


@settings(max_examples=scaled(60))
@given(pool=pools(1, 5), data=st.data())
@counted
def test_damaged_csv_pools(pool: Pool, data: st.DataObject) -> None:
    lines = pool_to_csv(pool).splitlines()
    row = data.draw(st.integers(0, len(lines) - 1))
    cells = lines[row].split(",")
    how = data.draw(st.sampled_from(("cell", "drop-cell", "add-cell", "cut", "garble")))
    if how == "cell":
        cells[data.draw(st.integers(0, len(cells) - 1))] = data.draw(st.text(max_size=10))
    elif how == "drop-cell":
        cells.pop(data.draw(st.integers(0, len(cells) - 1)))
    elif how == "add-cell":
        cells.append(data.draw(st.text(max_size=6)))
    lines[row] = ",".join(cells)
    text = "\n".join(lines) + "\n"
    if how == "cut":
        text = text[: data.draw(st.integers(0, len(text)))]
    elif how == "garble":
        at = data.draw(st.integers(0, len(text)))
        text = text[:at] + data.draw(st.text(min_size=1, max_size=4)) + text[at:]
    raw = text.encode("utf-8", errors="surrogatepass")
    if data.draw(st.booleans()):
        raw = raw.replace(b"a", b"\xff", 1)  # not UTF-8 any more
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pool.csv"
        path.write_bytes(raw)
        judged(path, "o0,o1")


@settings(max_examples=scaled(30))
@given(pool=pools(1, 4), data=st.data())
@counted
def test_damaged_xlsx_pools(pool: Pool, data: st.DataObject) -> None:
    raw = pool_to_xlsx(pool)
    how = data.draw(st.sampled_from(("cell", "cut", "bytes")))
    if how == "cell":
        book = load_workbook(io.BytesIO(raw))
        sheet = book.active
        assert sheet is not None
        row = data.draw(st.integers(1, sheet.max_row))
        col = data.draw(st.integers(1, sheet.max_column))
        cell_text = st.text(  # what a spreadsheet cell can hold: no control characters
            st.characters(exclude_categories=("Cc", "Cs")), max_size=8
        )
        sheet.cell(row=row, column=col).value = data.draw(
            st.one_of(st.none(), st.integers(), st.floats(allow_nan=False), cell_text)
        )
        out = io.BytesIO()
        book.save(out)
        raw = out.getvalue()
    # Positions are drawn as fractions: a workbook's length varies with the time it is saved at,
    # and hypothesis must be able to replay an example.
    elif how == "cut":
        raw = raw[: int(data.draw(st.floats(0, 1)) * len(raw))]
    else:
        at = int(data.draw(st.floats(0, 1)) * len(raw))
        raw = raw[:at] + data.draw(st.binary(min_size=1, max_size=8)) + raw[at:]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pool.xlsx"
        path.write_bytes(raw)
        judged(path, "o0")


CALL_TEXT = (
    Path(__file__).resolve().parent.parent / "models" / packaged_calls()["COS-CLUSTER-2018-03-02"]
).read_text(encoding="utf-8")


@settings(max_examples=scaled(60))
@given(data=st.data())
@counted
def test_damaged_call_models(data: st.DataObject) -> None:
    lines = CALL_TEXT.splitlines()
    k = data.draw(st.integers(0, len(lines) - 1))
    how = data.draw(st.sampled_from(("value", "drop", "garble", "duplicate")))
    if how == "value" and "=" in lines[k]:
        key = lines[k].split("=")[0]
        value = data.draw(
            st.one_of(
                st.integers(-5, 50).map(str),
                st.floats(allow_nan=False, allow_infinity=False).map(repr),
                st.text(max_size=8).map(json.dumps),
                st.sampled_from(['"@cosme-2099"', "[]", '["QQ"]', "true", '"website"', "{}"]),
            )
        )
        lines[k] = f"{key}= {value}"
    elif how == "drop":
        lines.pop(k)
    elif how == "garble":
        at = data.draw(st.integers(0, len(lines[k])))
        lines[k] = lines[k][:at] + data.draw(st.text(min_size=1, max_size=4)) + lines[k][at:]
    else:
        lines.insert(k, lines[k])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "call.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
        judged(path, "demo-004,demo-014,demo-045", call=path)
