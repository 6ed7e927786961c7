"""The grouping search's compiled kernels against the plain validator, on random states: every
group's violation and score, the repeated meetings, and the state the moves and their undos leave
(hypothesis; example counts scale with the profile, tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consortium_solver.core.clock import Clock
from consortium_solver.domain import Pool
from consortium_solver.group.search import GroupingSearch
from consortium_solver.group.search.anneal import Annealing, ClockOrIdle
from consortium_solver.group.search.kernels import HARD, WORD, Arrays, conflicts, evaluate_all
from consortium_solver.group.search.repair import ConflictRepair
from consortium_solver.group.search.state import Schedule, schedule_of
from consortium_solver.reference import countries
from consortium_solver.rules import Call, MaxPerValue, MemberIn, MinDistinct, Problem, Size
from consortium_solver.testing import calls, pools
from consortium_solver.validate import check, check_grouping
from tests.conftest import counted, scaled

SIZE = Size(id="user:size", min=1, max=4)
TAGS = [f"tag-{k}" for k in range(130)]  # offers and needs over three words of a bitmask


@st.composite
def drawn_pools(draw: st.DrawFn, min_size: int, max_size: int) -> Pool:
    """Pools of eligible organisations; in half of them, offers and needs drawn from 130 tags, so
    that the kernels' bitmasks take several words."""
    pool = draw(pools(min_size, max_size, eligible_share=1.0))
    if not draw(st.booleans()):
        return pool
    tags = st.lists(st.sampled_from(TAGS), max_size=12, unique=True).map(lambda t: tuple(sorted(t)))
    orgs = [
        o.model_copy(update={"offers": draw(tags), "needs": draw(tags)}) for o in pool.organisations
    ]
    return Pool(name=pool.name, organisations=tuple(orgs))


def problem_of(pool: Pool, call: Call) -> Problem:
    rules = [r for r in call.rules if not isinstance(r, MemberIn)]
    return Problem(
        pool.organisations,
        [*rules, SIZE],
        call.objective,
        call.link_weights(),
        min_size=1,
        max_size=4,
    )


@st.composite
def schedules(draw: st.DrawFn, n: int) -> Schedule:
    """1 to 3 rounds of groups of 1 to 4 of n members, some left unplaced."""
    rounds, unplaced = [], []
    for _ in range(draw(st.integers(1, 3))):
        order = draw(st.permutations(range(n)))
        groups, k = [], 0
        while k < len(order) and draw(st.booleans() | st.just(True)):
            size = draw(st.integers(1, 4))
            groups.append(sorted(order[k : k + size]))
            k += size
        rounds.append(groups)
        unplaced.append(sorted(order[k:]))
    meet = schedule_of(n, rounds).meet if len(rounds) > 1 else np.zeros((0, 0), dtype=np.int16)
    return Schedule(rounds, unplaced, meet)


def ids_of(pool: Pool, schedule: Schedule) -> list[list[list[str]]]:
    ids = [o.id for o in pool.organisations]
    return [[[ids[i] for i in g] for g in groups] for groups in schedule.rounds]


def assert_consistent(search: GroupingSearch, state: Arrays) -> None:
    """The arrays agree with themselves: positions, meeting counts and values from scratch."""
    n_rounds, n = state.where.shape
    for r in range(n_rounds):
        seen = []
        for g in range(int(state.n_groups[r])):
            for p in range(int(state.size[r, g])):
                i = int(state.members[r, g, p])
                assert state.where[r, i] == g and state.pos[r, i] == p
                seen.append(i)
        for p in range(int(state.n_unplaced[r])):
            i = int(state.unplaced[r, p])
            assert state.where[r, i] == -1 and state.pos[r, i] == p
            seen.append(i)
        assert sorted(seen) == list(range(n))
    schedule = search.compiled.schedule(state)
    if n_rounds > 1:
        assert (schedule_of(n, schedule.rounds).meet == state.meet).all()
    fresh, _ = search.compiled.arrays(schedule.copy())
    assert (fresh.violation == state.violation).all()
    assert np.allclose(fresh.score, state.score)


def plain_cost(search: GroupingSearch, state: Arrays) -> float:
    """The search's cost (sum mode) counted in plain Python from the schedule: HARD per broken rule
    and per repeated meeting, minus the total score."""
    schedule = search.compiled.schedule(state)
    hard = schedule.conflicts() + sum(
        search.rules.violation(g) for gs in schedule.rounds for g in gs
    )
    score = sum(
        float(state.score[r, g]) for r, gs in enumerate(schedule.rounds) for g in range(len(gs))
    )
    return HARD * hard - score


@settings(max_examples=scaled(60), deadline=None)
@given(pool=drawn_pools(2, 12), call=calls(member_filters=False), data=st.data())
@counted
def test_kernels_value_groups_and_meetings_as_the_validator_does(
    pool: Pool, call: Call, data: st.DataObject
) -> None:
    schedule = data.draw(schedules(len(pool.organisations)))
    search = GroupingSearch(problem_of(pool, call), n_rounds=len(schedule.rounds))
    state, _ = search.compiled.arrays(schedule)
    exact = not _control_spans_countries(pool)
    for r, groups in enumerate(ids_of(pool, schedule)):
        for g, members in enumerate(groups):
            verdict = check(pool, call, members, extra_rules=[SIZE])
            if exact:
                assert bool(state.violation[r, g] == 0) is verdict.eligible
            else:  # independence across borders is read strictly (docs/call-models.md)
                assert state.violation[r, g] > 0 or verdict.eligible
            assert abs(state.score[r, g] - verdict.score) < 1e-6
    judged = check_grouping(pool, call, ids_of(pool, schedule), extra_rules=[SIZE])
    assert (conflicts(state.meet) if state.meet.size else 0) == judged.repeats


@settings(max_examples=scaled(30), deadline=None)
@given(
    pool=drawn_pools(4, 12),
    call=calls(member_filters=False),
    data=st.data(),
    seed=st.integers(0, 3),
)
@counted
def test_moves_and_their_undos_keep_the_state_whole(
    pool: Pool, call: Call, data: st.DataObject, seed: int
) -> None:
    """After the repair and the annealing (deterministic clocks: a fixed number of moves, each
    made or undone), every table still agrees with a recount, and the cost the annealing reports
    is the cost of the schedule it leaves."""
    schedule = data.draw(schedules(len(pool.organisations)))
    search = GroupingSearch(problem_of(pool, call), n_rounds=len(schedule.rounds), seed=seed)
    compiled = search.compiled
    state, work = compiled.arrays(schedule)
    if state.meet.size:
        repair = ConflictRepair(compiled.rules, compiled.scores, work, state, True)
        left = repair.run(Clock(0.05, deterministic=True))
        hard = conflicts(state.meet) + int(state.violation.sum())
        assert left == hard
        assert_consistent(search, state)
    annealing = Annealing(compiled.rules, compiled.scores, work, compiled.sizes, compiled.min_mode)
    # A short log (idle=500) fills up within a chunk: the search goes back to its best and on.
    for idle in (500, 100_000):
        stop = ClockOrIdle(Clock(0.2, deterministic=True), idle=idle)
        before = search.cost(state)
        assert abs(before - plain_cost(search, state)) < 1e-6 * max(1.0, abs(before))
        cost = annealing.run(state, before, stop)
        assert_consistent(search, state)
        assert abs(cost - plain_cost(search, state)) < 1e-6 * max(1.0, abs(cost))
        assert cost <= before + 1e-6 * max(1.0, abs(cost))
    evaluate_all(compiled.rules, compiled.scores, work, state)
    assert_consistent(search, state)


# Codes past one word of bits: more countries than WORD (the kernels count them without bits).
COUNTRIES = sorted(countries())[: WORD + 10]
WIDE_RULES = [
    MinDistinct(id="user:countries", field="country", min=3),
    MaxPerValue(id="user:per-country", field="country", max=1),
    MinDistinct(id="user:sectors", field="sectors", min=2),
]


@settings(max_examples=scaled(15), deadline=None)
@given(
    pool=pools(WORD + 2, WORD + 10, sectors=None), call=calls(member_filters=False), data=st.data()
)
@counted
def test_kernels_value_groups_past_one_word_of_codes(
    pool: Pool, call: Call, data: st.DataObject
) -> None:
    """Countries coded past WORD (one per member, or shared: the rules count them without bits)
    and sectors linked through the matrix: the kernels still value every group as the validator."""
    n = len(pool.organisations)
    shared = data.draw(st.booleans())
    picks = [
        COUNTRIES[data.draw(st.integers(0, len(COUNTRIES) - 1)) if shared else i] for i in range(n)
    ]
    orgs = tuple(
        o.model_copy(update={"country": c, "nuts2": None})
        for o, c in zip(pool.organisations, picks, strict=True)
    )
    pool = Pool(name=pool.name, organisations=orgs)
    call = call.model_copy(update={"rules": (*call.rules, *WIDE_RULES)})
    schedule = data.draw(schedules(n))
    search = GroupingSearch(problem_of(pool, call), n_rounds=len(schedule.rounds))
    state, _ = search.compiled.arrays(schedule)
    assert shared or int(search.compiled.scores.country.max()) >= WORD
    exact = not _control_spans_countries(pool)
    for r, groups in enumerate(ids_of(pool, schedule)):
        for g, members in enumerate(groups):
            verdict = check(pool, call, members, extra_rules=[SIZE])
            if exact:
                assert bool(state.violation[r, g] == 0) is verdict.eligible
            else:  # independence across borders is read strictly (docs/call-models.md)
                assert state.violation[r, g] > 0 or verdict.eligible
            assert abs(state.score[r, g] - verdict.score) < 1e-6


def _control_spans_countries(pool: Pool) -> bool:
    """Whether one controller's organisations lie in two countries (then the search reads
    ``min_independent`` strictly, never more leniently than the validator)."""
    countries: dict[str, set[str]] = {}
    for org in pool.organisations:
        countries.setdefault(org.control, set()).add(org.country)
    return any(len(found) > 1 for found in countries.values())


def test_every_kernel_is_cached_under_the_hash_of_all_kernel_sources() -> None:
    """numba keys a cached kernel by its own file; here every kernel of the package is keyed by
    one hash of all the kernel sources, so an edit to a callee in another file recompiles its
    callers (before: they ran the old code until `make clean-kernels`). Every module that defines
    a kernel is in that hash."""
    import ast
    import importlib

    from consortium_solver.core import native

    defining = set()
    for path in native.PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        decorators = ("@kernel", "@loop_kernel", "@inline_kernel")
        if any(d in text for d in decorators) or path.name == "native.py":
            defining.add(path.relative_to(native.PACKAGE).as_posix())
    listed = set(native.KERNEL_SOURCES)
    assert defining <= listed, defining - listed
    for extra in listed - defining:  # modules whose values kernels compile in
        dotted = "consortium_solver." + extra[:-3].replace("/", ".")
        importers = [d for d in defining if dotted in (native.PACKAGE / d).read_text("utf-8")]
        assert importers, f"{extra} is hashed but no kernel module imports it"
    checked = 0
    for name in native.KERNEL_SOURCES:
        module = importlib.import_module("consortium_solver." + name[:-3].replace("/", "."))
        tree = ast.parse((native.PACKAGE / name).read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.decorator_list:
                dispatcher = getattr(module, node.name)
                cache = getattr(dispatcher, "_cache", None)
                if cache is None or not hasattr(cache, "_impl"):
                    continue
                locator = cache._impl.locator
                assert locator.get_source_stamp() == native.kernel_sources_hash(), node.name
                checked += 1
    assert checked > 20, checked


def test_the_kernel_hash_follows_any_kernel_source(tmp_path: Path) -> None:
    """Changing any one kernel source changes the stamp of every kernel."""
    from consortium_solver.core import native

    copy = tmp_path / "consortium_solver"
    for name in native.KERNEL_SOURCES:
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        (copy / name).write_bytes((native.PACKAGE / name).read_bytes())
    stamps = set()
    for name in native.KERNEL_SOURCES:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(native, "PACKAGE", copy)
            source = copy / name
            before = source.read_bytes()
            source.write_bytes(before + b"\n# an edit\n")
            native.kernel_sources_hash.cache_clear()
            stamps.add(native.kernel_sources_hash())
            source.write_bytes(before)
            native.kernel_sources_hash.cache_clear()
    native.kernel_sources_hash.cache_clear()
    assert len(stamps) == len(native.KERNEL_SOURCES)
    assert native.kernel_sources_hash() not in stamps
