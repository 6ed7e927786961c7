"""The layout's promises, checked: every rule kind is handled everywhere rules are acted on, each
by a function named after it; the validator never loads the solver; functions and classes stay
short enough to read (docs/architecture.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from consortium_solver.builder import explanations
from consortium_solver.builder.explanations import Facts, facts_of
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
    everyone = list(range(len(orgs)))
    assert (compile_rule(rule, orgs)(everyone) == 0) is check_rule(rule, orgs).passed


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


def test_the_validator_never_loads_the_solver_or_a_search() -> None:
    """Importing the package's validator (and everything it needs) loads neither OR-Tools nor
    numba, nor the encoder, a search or a task of the package."""
    banned = ("ortools", "numba", *(f"consortium_solver.{part}" for part in SOLVERS_AND_TASKS))
    code = (
        "import sys; import consortium_solver.validate; "
        f"hit = sorted(m for m in sys.modules if m.startswith({banned!r})); "
        "print(*hit); sys.exit(1 if hit else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout


def test_the_top_level_package_is_cheap_and_exports_the_four_tasks() -> None:
    """``import consortium_solver`` loads no task (names come on first use), and every name of
    ``__all__`` is there to import: the four tasks with their options and results among them."""
    code = (
        "import sys; import consortium_solver as c; "
        "hit = sorted(m for m in sys.modules if m.startswith(('ortools', 'numba', 'pydantic')));"
        " print(*hit); sys.exit(1 if hit else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout
    import consortium_solver

    tasks = {"build", "group", "plan_exchanges", "solve_mdgp"}
    models = {"BuildOptions", "GroupOptions", "ExchangeOptions", "MdgpOptions", "Result"}
    assert tasks | models <= set(consortium_solver.__all__)
    for name in consortium_solver.__all__:
        assert getattr(consortium_solver, name) is not None, name
    with pytest.raises(AttributeError):
        _ = consortium_solver.no_such_name


# The package's parts by tier, lowest first (docs/architecture.md, "Layers"): a part imports only
# from itself and lower tiers; parts of one tier never import each other, except the pairs below.
TIERS: tuple[tuple[str, ...], ...] = (
    ("core", "reference"),  # base
    ("domain",),  # data
    ("rules",),  # the rule vocabulary
    ("validate",),  # the independent judge
    ("encode", "scoring"),  # solvers' building blocks
    ("builder", "group", "exchange", "mdgp"),  # the four tasks
    ("io", "synthetic", "testing"),  # files, synthetic instances, property-test strategies
    ("bench", "web"),  # tools and the web app
    ("cli",),  # the command line
)
TIER = {part: level for level, parts in enumerate(TIERS) for part in parts}
SOLVERS_AND_TASKS = ("encode", "scoring", "builder", "group", "exchange", "mdgp")
# A task that imports a sibling task, and why.
ALLOWED_SIBLINGS = {
    ("group", "builder"): "a grouping that forms no group asks the builder which rules stop it",
}
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
                out.add(parts[1] if parts[1] in TIER else "facade")
    return out


def _wrong_imports(part: str, used: set[str]) -> list[str]:
    """What ``part`` may not import of ``used`` under the tiers."""
    wrong = []
    for other in sorted(used - {part}):
        if other == "facade":
            if part not in FACADE_USERS:
                wrong.append("the top-level API")
        elif TIER[other] > TIER[part] or (
            TIER[other] == TIER[part] and (part, other) not in ALLOWED_SIBLINGS
        ):
            wrong.append(other)
    return wrong


def test_every_part_imports_only_from_lower_tiers() -> None:
    """The tiers hold module by module: so the validator can never reach the encoder or a
    search, a task never leans on another (but the allowed pairs), and only bench, web and cli
    use the top-level API."""
    wrong, seen = [], set()
    for path in sorted(PACKAGE.rglob("*.py")):
        part = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        if part == "__init__":
            continue  # the top-level API itself
        assert part in TIER, f"{part} has no place in TIERS"
        seen.add(part)
        used = _imported_parts(ast.parse(path.read_text(encoding="utf-8")))
        wrong += [f"{path.relative_to(PACKAGE)} imports {w}" for w in _wrong_imports(part, used)]
    assert not wrong
    assert seen == set(TIER), "a part listed in TIERS is gone"


@pytest.mark.parametrize(
    ("part", "used", "refused"),
    [
        ("validate", {"encode"}, ["encode"]),  # up a tier
        ("validate", {"group", "domain"}, ["group"]),
        ("exchange", {"group"}, ["group"]),  # a sibling task
        ("group", {"builder"}, []),  # the allowed pair
        ("builder", {"group"}, ["group"]),  # ... one way only
        ("io", {"facade"}, ["the top-level API"]),
        ("cli", {"facade", "web", "bench", "domain"}, []),
    ],
)
def test_the_tier_rule_refuses_what_it_should(
    part: str, used: set[str], refused: list[str]
) -> None:
    """The rule the layout test applies, on imports that break it and imports that do not."""
    assert _wrong_imports(part, used) == refused


def test_no_module_is_loose_beyond_three() -> None:
    """At most three modules beside the package's ``__init__.py``; the rest live in parts."""
    loose = sorted(p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
    assert len(loose) <= 3, loose


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
    assert len(found) > 300, len(found)  # the walk did read the package
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


def _package_trees() -> list[tuple[Path, ast.AST]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(PACKAGE.rglob("*.py"))]


def test_no_private_helper_is_imported_across_modules() -> None:
    """A helper another module needs is public in its right home, not a ``_name`` reached into."""
    reached = [
        f"{path.relative_to(PACKAGE)}: {node.module}.{alias.name}"
        for path, tree in _package_trees()
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("consortium_solver")
        for alias in node.names
        if alias.name.startswith("_")
    ]
    assert not reached


def test_bugs_are_raised_as_internal_errors() -> None:
    """A self-check that fails raises InternalError (exit 3, "a bug"), never a bare RuntimeError
    or AssertionError that reads like something else."""
    bare = [
        f"{path.relative_to(PACKAGE)}:{node.lineno}"
        for path, tree in _package_trees()
        for node in ast.walk(tree)
        if isinstance(node, ast.Raise)
        and isinstance(node.exc, ast.Call)
        and isinstance(node.exc.func, ast.Name)
        and node.exc.func.id in ("RuntimeError", "AssertionError")
    ]
    assert not bare
