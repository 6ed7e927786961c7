"""The layout's promises, checked: every rule kind is handled everywhere rules are acted on, each
by a function named after it; the validator never loads the solver; functions and classes stay
short enough to read (docs/architecture.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from consortium_solver.build import explanations
from consortium_solver.build.explanations import Facts, facts_of
from consortium_solver.domain import Pool
from consortium_solver.encode import SelectionModel, encode_rule
from consortium_solver.encode import rules as encoders
from consortium_solver.group import constraints
from consortium_solver.group.constraints import GroupRules, compile_rule
from consortium_solver.rules import RULE_KINDS, RULE_TYPES, AnyRule, RuleHandlers, Size
from consortium_solver.rules.kinds import HANDLED_KINDS
from consortium_solver.validate import check_rule
from consortium_solver.validate import rules as checkers
from tests.rule_cases import CASES, case_id

PACKAGE = Path(__file__).resolve().parent.parent / "consortium_solver"
ONE_PER_KIND = {type(rule): rule for rule, _, _ in CASES}


def test_the_rule_table_covers_every_kind() -> None:
    """tests/rule_cases.py has a satisfied and a violated case for every kind of the union."""
    for kind in RULE_TYPES:
        verdicts = {passes for rule, _, passes in CASES if type(rule) is kind}
        assert verdicts == {True, False}, kind.__name__
    assert tuple(t.model_fields["kind"].default for t in RULE_TYPES) == RULE_KINDS


@pytest.mark.parametrize("kind", RULE_KINDS)
def test_every_kind_has_its_named_handler_in_each_layer(kind: str) -> None:
    """A kind is found by its name alone: a method of that name in the validator's Checks, the
    encoder's Encoder, the explanations' Explanations and the grouping search's Compiler, each an
    implementation of RuleHandlers (whose methods are the kinds, in the union's order)."""
    assert HANDLED_KINDS == RULE_KINDS
    for handlers in (checkers.CHECKS, encoders.ENCODERS, explanations.FACTS, constraints.COMPILERS):
        assert RuleHandlers in type(handlers).__mro__
        method = getattr(type(handlers), kind)
        assert method is not getattr(RuleHandlers, kind), f"{type(handlers).__name__}.{kind}"


@pytest.mark.parametrize("kind", RULE_TYPES, ids=RULE_KINDS)
def test_every_kind_is_handled_by_each_dispatcher(kind: type[AnyRule], regions_pool: Pool) -> None:
    """The validator, the encoder, the explanations and the grouping constraints each accept every
    kind of the union (strict mypy checks the same statically: an implementation of RuleHandlers
    lacking a kind's method cannot be instantiated)."""
    rule = ONE_PER_KIND[kind]
    orgs = list(regions_pool.organisations)
    assert check_rule(rule, orgs).rule == rule.id
    encode_rule(SelectionModel(orgs, max_size=len(orgs)), rule)
    assert facts_of(rule, Facts(regions_pool, [rule], orgs, "")).strip()
    assert compile_rule(rule, orgs)(list(range(len(orgs)))) >= 0


@pytest.mark.parametrize(("rule", "ids", "passes"), CASES, ids=[case_id(c) for c in CASES])
def test_group_rules_agree_with_the_validator(
    rule: AnyRule, ids: tuple[str, ...], passes: bool, regions_pool: Pool
) -> None:
    """The grouping search's compiled reading of each rule gives the validator's verdicts."""
    candidates = list(regions_pool.organisations)
    index = {o.id: i for i, o in enumerate(candidates)}
    members = [index[i] for i in ids]
    assert check_rule(rule, [candidates[i] for i in members]).passed is passes
    assert (GroupRules(candidates, [rule]).violation(members) == 0) is passes


def test_an_unknown_rule_is_refused_by_every_dispatcher(regions_pool: Pool) -> None:
    """An object of no known kind fails loudly at run time too (mypy refuses it statically)."""
    orgs = list(regions_pool.organisations)
    bogus = Size(id="s", min=1).model_copy(update={"kind": "no_such_kind"})
    for act in (
        lambda: check_rule(bogus, orgs),
        lambda: encode_rule(SelectionModel(orgs, max_size=3), bogus),
        lambda: facts_of(bogus, Facts(regions_pool, [], orgs, "")),
        lambda: compile_rule(bogus, orgs),
    ):
        with pytest.raises(AttributeError, match="no_such_kind"):
            act()


def test_the_validator_never_loads_the_solver() -> None:
    """Importing the package's validator (and everything it needs) leaves ortools unloaded."""
    code = (
        "import sys; import consortium_solver.validate; "
        "sys.exit(1 if any(m.startswith('ortools') for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# The import order of the package's parts, lowest first (docs/architecture.md, "Layers").
LAYERS = (
    "errors",
    "clock",
    "native",
    "reference",
    "domain",
    "rules",
    "validate",
    "encode",
    "scoring",
    "build",
    "group",
    "exchange",
    "mdgp",
    "io",
    "generate",
    "generate_exchange",
    "testing",
    "bench",
    "web",
    "cli",
)
# Parts that may use the package's top-level API (``from consortium_solver import demo_pool``).
FACADE_USERS = {"bench", "web", "cli"}


def _imported_parts(tree: ast.AST) -> set[str]:
    """The parts of the package a module imports ('facade' for the top-level API)."""
    out = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = (
                [node.module]
                if node.module != "consortium_solver"
                else [f"consortium_solver.{a.name}" for a in node.names]
            )
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "consortium_solver" and len(parts) > 1:
                out.add(parts[1] if parts[1] in LAYERS else "facade")
    return out


def test_every_part_imports_only_from_lower_layers() -> None:
    """The layers of docs/architecture.md hold: a part imports only from itself and the parts below
    it (so the validator can never reach the encoder or a search), and only bench and cli use the
    top-level API."""
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        part = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        if part == "__init__":
            continue  # the top-level API itself
        assert part in LAYERS, f"{part} has no place in LAYERS"
        for used in _imported_parts(ast.parse(path.read_text(encoding="utf-8"))):
            if used == "facade":
                allowed = part in FACADE_USERS
            else:
                allowed = LAYERS.index(used) <= LAYERS.index(part)
            if not allowed:
                wrong.append(f"{path.relative_to(PACKAGE)} imports {used}")
    assert not wrong


def _definitions() -> list[tuple[str, str, int]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                assert node.end_lineno is not None
                kind = "class" if isinstance(node, ast.ClassDef) else "function"
                where = f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}"
                out.append((kind, where, node.end_lineno - node.lineno + 1))
    return out


def test_functions_and_classes_stay_short() -> None:
    """No function over 80 lines, no class over 250, anywhere in the package."""
    found = _definitions()
    assert len(found) > 300  # the walk did read the package
    too_long = [
        f"{where} ({lines} lines)"
        for kind, where, lines in found
        if lines > (250 if kind == "class" else 80)
    ]
    assert not too_long


def test_docstrings_cite_the_repositorys_own_docs() -> None:
    """Nothing in the package points at a design document the repository does not carry."""
    cited = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "DESIGN" in path.read_text(encoding="utf-8")
    ]
    assert not cited
    assert (PACKAGE.parent / "docs" / "architecture.md").is_file()
