"""Event groupings: split a whole pool into groups that each meet the call's rules, over one or
several rounds in which no two organisations share a group twice.

Organisations failing a member filter of the call are set aside, with the reason. Among the rest,
first as few as possible are left unplaced, then the objective is optimised: ``sum`` (the total
score) or ``min`` (the worst group's score first, then the total). Small pools are solved exactly
with CP-SAT; larger ones, and every schedule of several rounds, by the grouping search
(:mod:`consortium_solver.group.search`). Every group of the answer is judged again by the validator
(:func:`consortium_solver.validate.check_grouping`); a group it rejects is a bug.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence

from consortium_solver import reference
from consortium_solver.core.clock import interrupted
from consortium_solver.core.errors import InternalError
from consortium_solver.core.options import OptionError
from consortium_solver.domain import (
    BuildResult,
    Consortium,
    GroupingResult,
    Ineligible,
    Organisation,
    Pool,
    Progress,
    Status,
)
from consortium_solver.domain.fields import FIELD_WORDS, member_value
from consortium_solver.group.balance import (
    CATEGORY_POINTS,
    Column,
    balance_arrays,
    bounds_impossible,
    resolve,
    spread_keys,
)
from consortium_solver.group.exact import SmallEvent, exact_schedule, is_small
from consortium_solver.group.guests import as_guests, seat_guests
from consortium_solver.group.options import GroupOptions, by_id
from consortium_solver.group.search import GroupingSearch, Schedule, warm_up
from consortium_solver.group.search.state import EXEMPT, is_valid, meet_group, new_meetings
from consortium_solver.group.tables import at_tables, fixed_at, laid_tables, seats_short
from consortium_solver.rules import AnyRule, Call, MemberIn, Problem, Size
from consortium_solver.validate import check, check_grouping, check_rule

log = logging.getLogger(__name__)

# A small event's exact model gets at most this share of the time limit (the search the rest,
# unless CP-SAT proves its answer optimal first).
EXACT_SHARE = 0.5

# Several rounds are planned for up to this many eligible organisations: the search keeps a table
# of who met whom (n x n) and the repair a tabu table per round (rounds x n x n), 360 MB for 10
# rounds of 3,000. A single round has no such table and no such limit.
MULTI_ROUND_MAX = 3_000

# The search stops early enough for the validator to judge every group within the limit: its time
# per group is measured on this many groups, and counted with this margin.
JUDGE_SAMPLE, JUDGE_MARGIN = 20, 1.3

# A cyclic schedule, when it applies, is tried for a quarter of the time limit, at most 10 s: when
# it works it takes about a second (benchmarks/golfers.py); the general search gets the rest.
CYCLIC_SHARE, CYCLIC_MAX_S = 0.25, 10.0


def group(
    pool: Pool,
    call: Call,
    options: GroupOptions | None = None,
    *,
    progress: Progress | None = None,
) -> GroupingResult:
    """Group the pool for an event; ``progress`` is told each better objective on the way.

    Returns a :class:`GroupingResult`: ``consortia`` holds the groups (of the first round),
    ``rounds`` every round when there are several, ``unassigned`` everyone not placed (ineligible
    ones included, with their reasons in ``ineligible``).

    Raises:
        OptionError: a pair or pinned member names an organisation the pool lacks (the options
            model itself refuses impossible sizes, rounds and pairs).
        InternalError: the validator rejects a group the search produced.
    """
    options = by_id(pool, options or GroupOptions())
    check_options(pool, options)
    warm_up()  # compiled before the clock starts (from the disk cache after the first run)
    return _Grouping(pool, call, options, progress).run()


def group_exact(pool: Pool, call: Call, options: GroupOptions) -> GroupingResult | None:
    """A small event (at most ``EXACT_LIMIT`` attendees a round, no numeric balance) solved by
    CP-SAT alone with the whole time limit — for research and tests, the optimum the search is
    measured against; None when the event is not small or CP-SAT found no schedule in time.

    Raises:
        OptionError: as :func:`group`.
    """
    options = by_id(pool, options)
    check_options(pool, options)
    grouping = _Grouping(pool, call, options, None)
    if not is_small(grouping.small_event(), options):
        return None
    found = grouping.exact()
    return None if found is None else grouping.judged(*found)


class NoGroups(Exception):
    """No group can be formed, for the reason given in words."""


class _Grouping:
    """One grouping: who takes part, the problem the solvers see, and the answer judged."""

    def __init__(
        self, pool: Pool, call: Call, options: GroupOptions, progress: Progress | None
    ) -> None:
        self.clock = options.clock(task="group")
        self.pool, self.call, self.options, self.progress = pool, call, options, progress
        self.candidates, self.ineligible = set_aside(pool, call, options.together, options.rounds)
        self.guests, self.ineligible, self.absent = seats_apart(
            pool, options, self.candidates, self.ineligible
        )
        first = {table for _, table, _ in options.seated}
        self.laid = laid_tables(options.tables_of(pool), options.rounds, first)
        self.size_rule = options.size_rule(options.tables_of(pool))
        rules: list[AnyRule] = [r for r in call.rules if not isinstance(r, MemberIn)]
        low, high = self.size_rule.min, self.size_rule.max or options.size[1]
        self.problem = Problem(
            self.candidates, [*rules, self.size_rule], call.objective, call.link_weights(),
            min_size=low, max_size=high,
        )  # fmt: skip
        index = {o.id: i for i, o in enumerate(self.candidates)}
        self.together, self.apart, self.apart_in = indexed_pairs(index, options)
        self.hosts = [index[h] for h in options.hosts if h in index]
        self.pairs = meeting_rounds(self.candidates, options, self.absent)
        self.columns, self.bounds = resolve(pool, self.candidates, options.balance)
        self.fixed = fixed_at(self.candidates, options.seated, self.laid, self.absent)

    def run(self) -> GroupingResult:
        options = self.options
        if options.rounds > 1 and len(self.candidates) > MULTI_ROUND_MAX:
            raise OptionError.one(
                "rounds",
                options.rounds,
                f"several rounds are planned for up to {MULTI_ROUND_MAX:,} eligible organisations"
                f" ({len(self.candidates):,} here: the table of who met whom grows with the square"
                " of the pool); split the pool into events, or plan one round",
            )
        impossible = rounds_impossible(len(self.candidates), options, self.absent)
        if impossible and not options.allow_repeats:
            return self.no_groups(Status.INFEASIBLE, impossible)
        log.info(
            "group: %d organisations take part (%d set aside), groups of %d..%d, %d round(s)",
            len(self.candidates), len(self.ineligible), *options.size, options.rounds,
        )  # fmt: skip
        # A small event: CP-SAT first, with at most half the time (its answer, when proven,
        # is the answer); else the search, and the better of the two.
        found = self.exact(EXACT_SHARE) if is_small(self.small_event(), options) else None
        if found is not None and found[1] is Status.OPTIMAL:
            return self.judged(*found)
        try:
            searched = self.judged(self.searched(), Status.FEASIBLE)
        except NoGroups as none:
            return self.no_groups(Status.INFEASIBLE, str(none))
        if found is None:
            return searched
        return max(self.judged(*found), searched, key=lambda r: answer_value(r, self.columns))

    def searched(self) -> Schedule:
        """Construction (a designed or cyclic schedule first where one applies), then the search to
        the deadline; groups still breaking a rule are dissolved."""
        options = self.options
        search = self.new_search()
        if not options.improve:
            return search.valid_groups(search.construct(), keep_places=bool(self.laid))
        pinned: list[tuple[int, int]] = []
        if options.start is not None:
            schedule, pinned = started(self.candidates, options, self.together, self.absent)
        else:
            cyclic = self.clock.share(CYCLIC_SHARE, at_most=CYCLIC_MAX_S)
            schedule = search.construct(cyclic, self.clock)
            self.clock.used(cyclic)
        log.info("group: first schedule built; the search repairs and improves it")
        pinned += hosts_pinned(self.hosts, self.absent)
        pinned += [(r, i) for r, pairs in enumerate(self.pairs) for pair in pairs for i in pair]
        pinned += [(r, i) for r, seats in enumerate(self.fixed) for i, _ in seats]
        report = None
        if self.progress is not None:
            progress, run_clock = self.progress, self.clock

            def report(cost: float) -> None:
                # The search's cost is -objective once nothing hard is left (sum mode only: in
                # min mode it folds the worst group and the total into one number).
                shown = is_valid(cost) and options.objective == "sum"
                progress(run_clock.elapsed(), -cost if shown else None, None)

        judging = judging_time(self.pool, self.call, self.candidates, self.size_rule, schedule)
        clock = self.clock.before_end(judging)
        found = search.search(schedule, clock=clock, on_improve=report, pinned=pinned)
        return search.valid_groups(found, keep_places=bool(self.laid))

    def new_search(self) -> GroupingSearch:
        """The grouping search over this grouping's candidates and rules.

        Raises:
            NoGroups: a --balance bound the attendees cannot meet when everyone is seated.
        """
        options = self.options
        search = GroupingSearch(
            self.problem,
            n_rounds=options.rounds,
            mode=options.objective,
            together=self.together,
            apart=self.apart,
            seed=options.seed,
            absent=self.absent if any(self.absent) else (),
            allowed=options.max_meetings,
            hosts=self.hosts,
            pairs=self.pairs,
            apart_in=self.apart_in,
            bounds=[b.coded() for b in self.bounds],
            balance=balance_arrays(
                self.columns, self.absent, len(self.candidates), self.problem.max_size
            )
            if self.columns
            else None,
            spread=spread_keys(self.columns, len(self.candidates)),
            caps=[[t.capacity for t in tables] for tables in self.laid],
            fixed=self.fixed,
        )
        tables = [search.construction.round_groups(r) for r in range(options.rounds)]
        fixed = tables if self.hosts else None
        impossible = bounds_impossible(self.bounds, self.absent, options.size, fixed)
        if impossible:
            raise NoGroups(impossible)
        return search

    def small_event(self) -> SmallEvent:
        return SmallEvent(
            self.problem, self.absent, self.laid, self.hosts, self.together, self.apart,
            self.apart_in, self.pairs, self.fixed, self.columns, self.bounds,
        )  # fmt: skip

    def exact(self, share: float = 1.0) -> tuple[Schedule, Status] | None:
        """A small event solved exactly by CP-SAT with ``share`` of the time left (None: nothing
        found in time, or no schedule meets the rules)."""
        log.info("group: a small event, solved exactly by CP-SAT")
        phases = 3 if self.options.objective == "min" else 2
        seconds = self.clock.left() * share / phases
        return exact_schedule(self.small_event(), self.options, seconds)

    def judged(self, schedule: Schedule, status: Status) -> GroupingResult:
        """The schedule judged by the validator, as the result document."""
        options, ids = self.options, [o.id for o in self.candidates]
        rounds_ids = [[[ids[i] for i in grp] for grp in groups] for groups in schedule.rounds]
        tables = None
        if self.laid:
            rounds_ids, tables = at_tables(rounds_ids, self.laid)
        elif options.hosts:
            rounds_ids = [by_host(groups, options.hosts) for groups in rounds_ids]
        seats = [[t.capacity for t in ts] for ts in tables] if tables is not None else None
        guests = seat_guests(rounds_ids, self.guests, seats) if self.guests else None
        verdict = check_grouping(
            self.pool,
            self.call,
            rounds_ids,
            guests=guests,
            hosts=options.hosts,
            meet=options.meet,
            together_in=options.together_in,
            apart_in=options.apart_in,
            balance=options.balance,
            tables=tables,
            seated=options.seated,
            extra_rules=[self.size_rule],
            together=options.together,
            apart=options.apart,
            allow_repeats=options.allow_repeats,
            max_meetings=options.max_meetings,
        )
        if not verdict.valid and not verdict.repeats_only:
            raise InternalError(
                f"the grouping search produced an invalid grouping: {verdict.problems[0]}"
            )
        if verdict.repeats and not options.allow_repeats:
            # No schedule without repeated meetings was found in time: never leave an organiser
            # with nothing — the best schedule found, its repeated pairs listed, status unknown.
            note = repeats_note(options, verdict.repeats)
            result = self.result(verdict.rounds, verdict.unassigned, Status.UNKNOWN, note)
            return result.model_copy(
                update={
                    "repeated_pairs": tuple(verdict.repeated),
                    "balance": tuple(verdict.balance),
                }
            )
        if not any(verdict.rounds):
            return why_none(self)
        short = seats_short(self.laid, [len(self.candidates) - len(a) for a in self.absent])
        result = self.result(verdict.rounds, verdict.unassigned, status, short)
        return result.model_copy(update={"balance": tuple(verdict.balance)})

    def no_groups(self, status: Status, note: str) -> GroupingResult:
        everyone = [o.id for o in self.pool.organisations]
        return self.result([], everyone, status, note)

    def result(
        self,
        rounds: list[list[Consortium]],
        unassigned: list[str],
        status: Status,
        note: str | None,
    ) -> GroupingResult:
        options = self.options
        scores = [g.score for groups in rounds for g in groups]
        objective = None
        if scores:
            objective = math.fsum(scores) if options.objective == "sum" else min(scores)
        return GroupingResult(
            call=self.call.id,
            pool=self.pool.name,
            status=status,
            objective=objective,
            bound=None,
            wall_time_s=round(self.clock.elapsed(), 3),
            seed=options.seed,
            workers=1 if options.deterministic else options.workers,
            consortia=tuple(rounds[0]) if rounds else (),
            unassigned=tuple(unassigned),
            rounds=tuple(tuple(r) for r in rounds) if options.rounds > 1 else None,
            ineligible=tuple(self.ineligible),
            hosts=options.hosts,
            note=note,
            interrupted=interrupted(),
        )


def why_none(g: _Grouping) -> GroupingResult:
    """No group was formed: find out, as ``build`` does, whether any group at all can meet the
    rules among the eligible organisations; if none can, name the rules that stop it."""
    if not g.candidates:
        return g.no_groups(
            Status.INFEASIBLE,
            "no organisation is eligible under the call's rules (see the reasons listed)",
        )
    seconds = max(1.0, min(10.0, g.clock.left()))
    found = any_group(g.pool, g.call, g.candidates, g.options, seconds)
    if found.conflict:
        words = "; ".join(f"{c.rule}: {c.why}" for c in found.conflict)
        result = g.no_groups(Status.INFEASIBLE, f"no group can meet the rules — {words}")
        return result.model_copy(update={"conflict": found.conflict})
    return g.no_groups(
        Status.UNKNOWN,
        "no group was formed in the time limit, though the rules allow one: try a longer"
        " --time-limit or a wider --size",
    )


def answer_value(result: GroupingResult, columns: Sequence[Column]) -> tuple[bool, int, float]:
    """How good an answer is, first to last: no repeated meetings, members seated, the objective
    less the balance penalty of its categorical columns (as the search and the exact model weigh
    them)."""
    seated = sum(len(g.members) for groups in result.schedule() for g in groups)
    weights = {c.name: c.weight for c in columns}
    penalty = sum(CATEGORY_POINTS * weights.get(m.column, 1.0) * m.off for m in result.balance)
    return not result.repeated_pairs, seated, (result.objective or 0.0) - penalty


def repeats_note(options: GroupOptions, repeats: int) -> str:
    """Why a schedule with repeated meetings is given, and what to try."""
    times = "twice" if options.max_meetings == 1 else f"more than {options.max_meetings} times"
    return (
        f"no schedule of {options.rounds} rounds without repeated meetings was found in"
        f" {options.time_limit:g} s: {repeats} pair(s) meet {times} (listed); this is the best"
        " schedule found — try fewer rounds, a longer time limit, or allowing repeated meetings"
    )


def indexed_pairs(
    index: dict[str, int], options: GroupOptions
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[tuple[int, int, list[int]]]]:
    """The together, apart and apart-in-rounds pairs among the candidates (``index``: a
    candidate's index by id; rounds from 0)."""
    together = [(index[a], index[b]) for a, b in options.together if a in index and b in index]
    apart = [(index[a], index[b]) for a, b in options.apart if a in index and b in index]
    apart_in = [
        (index[a], index[b], [r - 1 for r in rounds if r <= options.rounds])
        for a, b, rounds in options.apart_in
        if a in index and b in index
    ]
    return together, apart, apart_in


def any_group(
    pool: Pool,
    call: Call,
    candidates: Sequence[Organisation],
    options: GroupOptions,
    seconds: float,
) -> BuildResult:
    """The builder asked for one group of the candidates under the call's rules: one, or the
    rules that conflict."""
    from consortium_solver.builder import BuildOptions, Demands, build

    return build(
        Pool(name=pool.name, organisations=tuple(candidates)),
        call,
        Demands(size=options.size),
        BuildOptions(
            time_limit=seconds,
            deterministic=options.deterministic,
            seed=options.seed,
            workers=options.workers,
        ),
    )


def judging_time(
    pool: Pool, call: Call, candidates: Sequence[Organisation], size: Size, schedule: Schedule
) -> float:
    """Seconds the validator will take to judge the answer (it judges every group, about 0.3
    ms each: 5 s for a pool of 100,000), measured on a sample of the schedule's groups."""
    groups = [g for groups in schedule.rounds for g in groups]
    sample = groups[:JUDGE_SAMPLE]
    if not sample:
        return 0.0
    ids = [o.id for o in candidates]
    check(pool, call, [ids[i] for i in sample[0]])  # the first call sets things up
    start = time.perf_counter()
    for grp in sample:
        check(pool, call, [ids[i] for i in grp], extra_rules=[size])
    per_group = (time.perf_counter() - start) / len(sample)
    return JUDGE_MARGIN * per_group * len(groups)


def started(
    candidates: Sequence[Organisation],
    options: GroupOptions,
    together: Sequence[tuple[int, int]],
    absent: Sequence[frozenset[int]],
) -> tuple[Schedule, list[tuple[int, int]]]:
    """The schedule to start from (``options.start``) over the candidates (others dropped, the
    candidates it leaves out unplaced, the absent neither) with its meeting counts, and the pinned
    pairs as indices."""
    start = options.start or ()
    if len(start) != options.rounds:
        raise OptionError.one(
            "start",
            len(start),
            f"the schedule to start from has {len(start)} rounds, not {options.rounds}",
        )
    index = {o.id: i for i, o in enumerate(candidates)}
    n, rounds, unplaced = len(candidates), [], []
    meet = new_meetings(n if options.rounds > 1 else 0, options.max_meetings)
    for a, b in together:
        meet[a, b] = meet[b, a] = -EXEMPT
    for r, groups in enumerate(start, start=1):
        kept = [[index[m] for m in g if m in index] for g in groups]
        seated = [i for g in kept for i in g]
        if len(seated) != len(set(seated)):
            raise OptionError.one(
                "start", r, f"round {r} of the schedule to start from seats someone twice"
            )
        rounds.append([g for g in kept if g])
        unplaced.append(sorted(set(range(n)) - set(seated) - absent[r - 1]))
        if meet.size:
            for g in kept:
                if g:
                    meet_group(meet, g)
    pins = [(r, index[m]) for r, m in options.pinned if m in index and 0 <= r < len(rounds)]
    return Schedule(rounds, unplaced, meet), pins


def meeting_rounds(
    candidates: Sequence[Organisation],
    options: GroupOptions,
    absent: Sequence[frozenset[int]],
) -> list[list[tuple[int, int]]]:
    """For each round, the pairs seated together in it (as candidate indices): each --meet pair
    in the round both attend with the fewest such pairs so far (then the earliest), and the pairs
    together in given rounds (``together_in``: --together A,B@1,2, --fix A=HOST@ROUNDS).

    Raises:
        OptionError: a pair with one set aside, or attending no round together.
    """
    index = {o.id: i for i, o in enumerate(candidates)}
    out: list[list[tuple[int, int]]] = [[] for _ in absent]
    problems = []
    for a, b in options.meet:
        if a not in index or b not in index:
            gone = a if a not in index else b
            problems.append(("meet", f"{a},{b}", f"{gone} is set aside: it sits in no group"))
            continue
        i, j = index[a], index[b]
        shared = [r for r, away in enumerate(absent) if i not in away and j not in away]
        if not shared:
            problems.append(("meet", f"{a},{b}", f"{a} and {b} attend no round together"))
            continue
        r = min(shared, key=lambda k: (len(out[k]), k))
        out[r].append((i, j))
    for a, b, rounds in options.together_in:
        if a not in index or b not in index:
            gone = a if a not in index else b
            problems.append(("together", f"{a},{b}", f"{gone} is set aside: it sits in no group"))
            continue
        for r in rounds:
            if r > len(absent) or index[a] in absent[r - 1] or index[b] in absent[r - 1]:
                problems.append(
                    ("together", f"{a},{b}@{r}", f"{a} and {b} do not both attend round {r}")
                )
            else:
                out[r - 1].append((index[a], index[b]))
    if problems:
        raise OptionError(problems)
    return out


def hosts_pinned(hosts: Sequence[int], absent: Sequence[frozenset[int]]) -> list[tuple[int, int]]:
    """The (round, host) pairs the search never moves: hosts stay at their tables."""
    return [(r, h) for r, away in enumerate(absent) for h in hosts if h not in away]


def by_host(groups: Sequence[list[str]], hosts: Sequence[str]) -> list[list[str]]:
    """A round's groups in the order of their hosts: group k is the table of host k."""
    order = {h: k for k, h in enumerate(hosts)}
    return sorted(groups, key=lambda grp: min((order.get(m, len(order)) for m in grp), default=0))


def seats_apart(
    pool: Pool,
    options: GroupOptions,
    candidates: Sequence[Organisation],
    ineligible: list[Ineligible],
) -> tuple[list[Organisation], list[Ineligible], list[frozenset[int]]]:
    """The guests (``--guests``: those the call's member rules set aside, seated with the groups
    instead), those still set aside, and for each round who does not attend it (indices of
    candidates)."""
    guests: list[Organisation] = []
    if options.guests:
        guests, ineligible = as_guests(pool.organisations, ineligible, options.rounds)
    absent = [
        frozenset(i for i, o in enumerate(candidates) if not o.attends(r))
        for r in range(1, options.rounds + 1)
    ]
    set_aside_hosts = [i for i in ineligible if i.id in options.hosts]
    if set_aside_hosts:
        raise OptionError(
            [
                ("hosts", i.id, f"a host must take part, but it is set aside: {i.why}")
                for i in set_aside_hosts
            ]
        )
    return guests, ineligible, absent


def member_words(rule: MemberIn, org: Organisation) -> str:
    """Why a member rule leaves an organisation out, in words: "its organisation type is other;
    the call takes cluster organisation or business network organisation"."""
    value = member_value(org, rule.field)
    shown = reference.countries().get(str(value), value) if rule.field == "country" else value
    said = str(shown).replace("_", " ") if shown is not None else "not given"
    if rule.field == "eccp_status" and shown == "none":
        said = "not registered"
    takes = rule.values_text().replace("_", " ")
    return f"its {FIELD_WORDS.get(rule.field, rule.field)} is {said}; the call takes {takes}"


def set_aside(
    pool: Pool, call: Call, together: Sequence[tuple[str, str]], rounds: int = 1
) -> tuple[list[Organisation], list[Ineligible]]:
    """The organisations that take part, and those set aside with the reason: attending none of
    the event's ``rounds``, failing a member filter of the call, or (a --together pair shares a
    group or both stay out) the partner of one set aside, and so on along chains of pairs."""
    filters = [r for r in call.rules if isinstance(r, MemberIn)]
    ineligible = []
    for org in pool.organisations:
        if not any(org.attends(r) for r in range(1, rounds + 1)):
            why = "attends none of the event's rounds" if rounds > 1 else "does not attend"
            ineligible.append(Ineligible(id=org.id, why=why))
            continue
        if all(r.matches(org) for r in filters):
            continue  # the validator's reasons are asked for only of those set aside
        failed = [r for r in filters if not check_rule(r, [org]).passed]
        if failed:
            ineligible.append(
                Ineligible(id=org.id, why="; ".join(member_words(r, org) for r in failed))
            )
    out = {entry.id for entry in ineligible}
    changed = True
    while changed:
        changed = False
        for a, b in together:
            for stays, partner in ((a, b), (b, a)):
                if partner in out and stays not in out:
                    out.add(stays)
                    why = f"to be together with {partner}, which is set aside"
                    ineligible.append(Ineligible(id=stays, why=why))
                    changed = True
    return [o for o in pool.organisations if o.id not in out], ineligible


def check_options(pool: Pool, options: GroupOptions) -> None:
    """Options naming organisations the pool lacks, as one error naming the fields, before any
    work (the options model has refused impossible sizes, rounds and pairs already)."""
    problems = []
    apart_in = [(a, b) for a, b, _ in options.apart_in]
    for name, pairs in (("together", options.together), ("apart", [*options.apart, *apart_in])):
        for pair in pairs:
            missing = [i for i in pair if i not in pool.by_id]
            if missing:
                problems.append((name, ",".join(pair), pool.unknown_id_message(missing[0])))
    problems += [
        ("pinned", m, pool.unknown_id_message(m)) for _, m in options.pinned if m not in pool.by_id
    ]
    problems += [
        ("hosts", h, pool.unknown_id_message(h)) for h in options.hosts if h not in pool.by_id
    ]
    problems += [
        ("fix", m, pool.unknown_id_message(m)) for m, _, _ in options.seated if m not in pool.by_id
    ]
    for pair in options.meet:
        missing = [i for i in pair if i not in pool.by_id]
        if missing:
            problems.append(("meet", ",".join(pair), pool.unknown_id_message(missing[0])))
    for a, b in options.together:
        first, second = pool.by_id.get(a), pool.by_id.get(b)
        if first is None or second is None:
            continue
        mine = [r for r in range(1, options.rounds + 1) if first.attends(r)]
        theirs = [r for r in range(1, options.rounds + 1) if second.attends(r)]
        if mine != theirs:
            problems.append(
                (
                    "together",
                    f"{a},{b}",
                    f"{first.name} and {second.name} are to be together but attend different"
                    " rounds: give them the same rounds attended, or drop the pair",
                )
            )
    try:
        resolve(pool, pool.organisations, options.balance)
    except OptionError as bad:
        problems += bad.problems
    beyond = [o for o in pool.organisations if o.rounds and max(o.rounds) > options.rounds]
    if beyond:
        names = ", ".join(f"{o.name} ({max(o.rounds or (0,))})" for o in beyond[:3])
        more = f" and {len(beyond) - 3} more" if len(beyond) > 3 else ""
        problems.append(
            (
                "rounds",
                str(options.rounds),
                f"the event has {options.rounds} round(s), but the sheet lists later rounds"
                f" attended: {names}{more}; give the number of rounds, or correct the rounds"
                " attended",
            )
        )
    if problems:
        raise OptionError(problems)


def rounds_impossible(
    n: int, options: GroupOptions, absent: Sequence[frozenset[int]] = ()
) -> str | None:
    """Counting arguments: each round, everyone meets at least min_size - 1 new people (with
    attendance, the one who attends most rounds); with table hosts, a later round's table can hold
    one person from each table of the round before."""
    low, _ = options.size
    if options.rounds <= 1 or n == 0:
        return None
    attended = options.rounds
    if any(absent):
        attended = max(sum(1 for away in absent if i not in away) for i in range(n))
    needed = attended * (low - 1)
    if -(-needed // options.max_meetings) > n - 1:
        most = (n - 1) // max(low - 1, 1)
        return (
            f"{attended} rounds without repeated meetings are impossible: in groups of at least"
            f" {low}, each organisation meets {low - 1} new ones per round, {needed} in all, but only"
            f" {n - 1} others are eligible (at most {most} rounds); allow repeated meetings to"
            " minimise them instead"
        )
    tables = len(options.hosts)
    if tables and options.max_meetings == 1 and not any(absent) and low > tables:
        # A table of a later round takes at most one of each table of the round before (any two
        # from one table have met), and no more tables are laid than there are hosts.
        return (
            f"{options.rounds} rounds without repeated meetings are impossible at {tables} tables:"
            f" a table of the second round can take only one from each table of the first, so at"
            f" most {tables} people, fewer than the {low} a group needs; add hosts, make the"
            " groups smaller, or allow repeated meetings"
        )
    return None
