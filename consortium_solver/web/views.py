"""What the pages show, computed in plain Python from the package's own parts: the import report
as rows, a run's current groups (its result, or the organiser's latest edit) judged by the
independent validator, the people in words, the map. Templates only lay these out (and escape
every value)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from consortium_solver.domain import Consortium, GroupingResult, Pool, Status, Table
from consortium_solver.io import vocabulary as vocab
from consortium_solver.io.cells import FIELD_WORDS as CELL_WORDS
from consortium_solver.io.importer import ImportReport
from consortium_solver.io.maps import PALETTE, Place, svg_map
from consortium_solver.io.plans import for_people, member_cells, reasons
from consortium_solver.reference import region_points
from consortium_solver.reference.places import category_words, country_name, region_label
from consortium_solver.rules import Call, load_call, no_call
from consortium_solver.validate import check
from consortium_solver.validate.grouping import GroupingVerdict, check_grouping
from consortium_solver.web.tasks import GroupsRun

Rounds = list[list[list[str]]]


def column_use(field: str) -> str:
    """What a column of the sheet was used for, in words ("the partnership", "kept as …")."""
    if field == "kept":
        return "kept as an extra column (in the downloads)"
    words = CELL_WORDS.get(field, vocab.heading(field))
    return words[:1].upper() + words[1:]


def report_summary(report: ImportReport[Any], filename: str) -> dict[str, Any]:
    """An import report as plain data for the store and the page (no paths: ``filename`` is the
    name the organiser's browser gave, shown as text only)."""
    pool = report.pool
    return {
        "filename": filename,
        # organisations, or ClusterXchange participants
        "organisations": len(getattr(pool, "organisations", None) or pool.participants)
        if pool is not None
        else 0,
        "header_row": report.header_row,
        "columns": [
            {
                "header": header,
                "field": column_use(meaning),
            }
            for header, meaning in report.columns.items()
        ],
        "problems": [
            {
                "severity": p.severity,
                "where": p.where or "",
                "row": p.row,
                "col": p.col,
                "column": p.column or "",
                "value": p.value if p.value is None or len(p.value) <= 200 else p.value[:199] + "…",
                "message": p.message,
                "suggestion": p.suggestion or "",
                "choices": [{"code": c, "label": region_label(c)} for c in p.choices],
            }
            for p in report.problems
        ],
        "places": [
            {
                "text": place.text or "(coordinates)",
                "country": country_name(place.country) if place.country else "",
                "region": region_label(place.code) if place.code else "",
                "category": category_words(place.code) if place.code else "",
                "how": place.how,
                "rows": place.rows,
            }
            for place in report.places
        ],
        "errors": len(report.errors),
        "warnings": len(report.warnings),
    }


def call_of(call_id: str, on: date | None = None) -> Call:
    """A run's call model, its country lists read on ``on`` (else its deadline, else today)."""
    return no_call() if call_id == "none" else load_call(call_id, on=on)


def schedule_of(result: GroupingResult) -> Rounds:
    return [[list(g.members) for g in groups] for groups in result.schedule()]


@dataclass
class Member:
    id: str
    name: str
    facts: str  # country · region · category · type
    sectors: str


@dataclass
class GroupView:
    number: int
    members: list[Member]
    score: float
    broken: list[str]  # the rules this group breaks, in words
    rules: int  # how many rules it was judged by
    guests: list[Member] = field(default_factory=list)  # seated with it, judged by no rule
    table: str | None = None  # its table's name, where the event lists tables


@dataclass
class ScheduleView:
    """A run's groups as they stand, judged."""

    rounds: list[list[GroupView]]
    valid: bool
    problems: list[str]
    repeats: int
    repeated: list[tuple[str, str]]
    score: float
    not_placed: list[tuple[str, str]] = field(default_factory=list)  # name, why


def judge(
    pool: Pool, spec: GroupsRun, rounds: Rounds, result: GroupingResult | None = None
) -> GroupingVerdict:
    """The validator's verdict on ``rounds`` under the run's call and options (with the run's
    guests, who stay at their group's table when the organiser moves members)."""
    options = spec.options
    return check_grouping(
        pool,
        call_of(spec.call, spec.date),
        rounds,
        extra_rules=[options.size_rule(options.tables_of(pool))],
        together=options.together,
        apart=options.apart,
        allow_repeats=options.allow_repeats,
        max_meetings=options.max_meetings,
        guests=guests_of(result, rounds),
        hosts=options.hosts,
        meet=options.meet,
        together_in=options.together_in,
        apart_in=options.apart_in,
        balance=options.balance,
        tables=tables_of_run(result, options.tables_of(pool), rounds),
        seated=options.seated,
    )


def _run_groups(
    result: GroupingResult | None, rounds: Rounds
) -> list[tuple[Consortium, ...]] | None:
    """The run's groups, where the rounds still have the run's groups (a move by hand keeps each
    group where it is: its table, its guests)."""
    if result is None:
        return None
    found = result.schedule()
    if [len(groups) for groups in found] != [len(groups) for groups in rounds]:
        return None
    return found


def tables_of_run(
    result: GroupingResult | None, tables: Sequence[Table], rounds: Rounds
) -> list[list[Table]] | None:
    """The run's tables by round and group, where the event lists tables and the rounds still
    have the run's groups."""
    found = _run_groups(result, rounds) if tables else None
    if found is None:
        return None
    by_name = {t.name: t for t in tables}
    return [[by_name[g.table] for g in groups if g.table in by_name] for groups in found]


def guests_of(result: GroupingResult | None, rounds: Rounds) -> list[list[list[str]]] | None:
    """The run's guests by round and group, where the rounds still have the run's groups."""
    found = _run_groups(result, rounds)
    if found is None or not any(g.guests for groups in found for g in groups):
        return None
    return [[list(g.guests) for g in groups] for groups in found]


def schedule_view(
    pool: Pool, spec: GroupsRun, rounds: Rounds, result: GroupingResult
) -> ScheduleView:
    """``rounds`` judged: every group's rules (✓/✗) and score, the schedule's own problems."""
    call = call_of(spec.call, spec.date)
    size = spec.options.size_rule(spec.options.tables_of(pool))
    verdict = judge(pool, spec, rounds, result)
    described = rules_described(pool, spec)
    views: list[list[GroupView]] = []
    for groups in rounds:
        row = []
        for g, members in enumerate(groups, start=1):
            assessment = check(pool, call, members, extra_rules=[size])
            row.append(
                GroupView(
                    number=g,
                    table=verdict.rounds[len(views)][g - 1].table,
                    members=[_member(pool, m) for m in members],
                    guests=[_member(pool, m) for m in verdict.rounds[len(views)][g - 1].guests],
                    score=assessment.score,
                    broken=[
                        rule_words(f"{v.rule}: {for_people(pool, v.why)}", described)
                        for v in assessment.failed
                    ],
                    rules=len(assessment.verdicts),
                )
            )
        views.append(row)
    why = reasons(result, pool)
    return ScheduleView(
        rounds=views,
        valid=verdict.valid,
        problems=[rule_words(for_people(pool, p), described) for p in verdict.problems],
        repeats=verdict.repeats,
        repeated=[(pool.by_id[a].name, pool.by_id[b].name) for a, b in verdict.repeated],
        score=sum(g.score for groups in views for g in groups),
        not_placed=[(pool.by_id[i].name, w) for i, w in why.items()],
    )


def _member(pool: Pool, org_id: str) -> Member:
    org = pool.by_id[org_id]
    name, country, region, category, kind, sectors = member_cells(org)
    facts = " · ".join(x for x in (country, region, category, kind) if x)
    return Member(org_id, name, facts, sectors)


# The schedule's own rules in words, by the id a validator sentence starts with.
RULE_WORDS = {
    "repeat": "Repeated meetings",
    "user:no-repeats": "Repeated meetings",
    "partition": "Seated twice",
    "attendance": "Attendance",
    "hosts": "Table hosts",
    "tables": "Tables",
    "fix": "Fixed seats",
    "balance": "Balance",
    "guests": "Guests",
    "user:together": "Kept together",
    "user:apart": "Kept apart",
    "user:meet": "To meet",
    "user:size": "Group size",
}


def rules_described(pool: Pool, spec: GroupsRun) -> dict[str, str]:
    """The run's rules (the call's and the group size) by id, each as a sentence."""
    size = spec.options.size_rule(spec.options.tables_of(pool))
    return {rule.id: rule.describe() for rule in [*call_of(spec.call, spec.date).rules, size]}


def in_words(result: GroupingResult, pool: Pool, spec: GroupsRun) -> GroupingResult:
    """The result with its problems in words (rules by name, organisations by name), for the
    downloads people read — the workbook, the page, the CSV; the JSON keeps the ids."""
    described = rules_described(pool, spec)
    worded = tuple(rule_words(for_people(pool, p), described) for p in result.problems)
    return result.model_copy(update={"problems": worded})


def rule_words(problem: str, rules: dict[str, str]) -> str:
    """A validator sentence that starts with a rule's id, starting with the rule in words instead:
    "user:size: round 1, group 2: 5 members, more than 4" → "Group size (between 3 and 4
    members): round 1, …"; ``rules``: rule ids → the rule as a sentence (a call's, the size's)."""
    head, sep, rest = problem.partition(": ")
    if not sep:
        return problem
    if head == "repeat":  # "repeat: user:no-repeats: 3 pairs meet more than once, e.g. …"
        return f"Repeated meetings: {rest.partition(': ')[2] or rest}"
    parts = head.split(":")
    key = ":".join(parts[:2]) if parts[0] == "user" else parts[0]
    said = rules.get(head)
    if key in RULE_WORDS:
        name = RULE_WORDS[key] + (f" ({said})" if said else "")
        return f"{name}: {rest}"
    if said:
        return f"{said[:1].upper()}{said[1:]}: {rest}"
    return problem


def move(rounds: Rounds, round_index: int, member: str, to_group: int) -> Rounds:
    """A copy of ``rounds`` with ``member`` moved to group ``to_group`` (0-based) of the round.

    Raises:
        ValueError: the round, member or group is not there.
    """
    if not 0 <= round_index < len(rounds):
        raise ValueError("there is no such round")
    groups = [list(g) for g in rounds[round_index]]
    if not 0 <= to_group < len(groups):
        raise ValueError("there is no such group")
    source = next((g for g in groups if member in g), None)
    if source is None:
        raise ValueError("that organisation is not in a group of this round")
    source.remove(member)
    groups[to_group].append(member)
    out = [list(map(list, r)) for r in rounds]
    out[round_index] = groups
    return out


def swap(rounds: Rounds, round_index: int, a: str, b: str) -> Rounds:
    """A copy of ``rounds`` with members ``a`` and ``b`` of the round trading groups."""
    if not 0 <= round_index < len(rounds):
        raise ValueError("there is no such round")
    groups = [list(g) for g in rounds[round_index]]
    ga = next((g for g in groups if a in g), None)
    gb = next((g for g in groups if b in g), None)
    if ga is None or gb is None:
        raise ValueError("both organisations must be in a group of this round")
    ga[ga.index(a)], gb[gb.index(b)] = b, a
    out = [list(map(list, r)) for r in rounds]
    out[round_index] = groups
    return out


def edited_result(
    result: GroupingResult, pool: Pool, spec: GroupsRun, rounds: Rounds, moves: int = 0
) -> GroupingResult:
    """The run's result with the groups as they stand, judged again, for the downloads: after
    ``moves`` changes by hand, the objective of the groups now, the validator's problems with them,
    and a status that no longer claims the search's proof (feasible when every rule holds,
    unknown when one is broken)."""
    verdict = judge(pool, spec, rounds, result)
    judged = tuple(tuple(r) for r in verdict.rounds)
    update: dict[str, object] = {
        "consortia": judged[0] if judged else (),
        "rounds": judged if len(judged) > 1 else None,
        "repeated_pairs": tuple(verdict.repeated),
        "balance": tuple(verdict.balance),
        "problems": tuple(verdict.problems),
    }
    if moves:
        scores = [g.score for groups in judged for g in groups]
        total = sum(scores) if spec.options.objective == "sum" else min(scores, default=0.0)
        update |= {
            "edited": moves,
            "objective": total if scores else None,
            "status": Status.FEASIBLE if verdict.valid else Status.UNKNOWN,
        }
    return result.model_copy(update=update)


def members_map(pool: Pool, groups: Sequence[Sequence[str]], title: str) -> tuple[str, int]:
    """An inline SVG map of the members of ``groups`` (a colour per group) on the NUTS-2
    outlines, and how many members have no known region point (not on the map)."""
    points = region_points()
    places, missing = [], 0
    for g, members in enumerate(groups):
        for member in members:
            org = pool.by_id[member]
            point = points.get(org.nuts2 or "")
            if point is None:
                missing += 1
                continue
            label = f"Group {g + 1}: {org.name}"
            places.append(Place(point, label, PALETTE[g % len(PALETTE)], str(g + 1)))
    legend = [(f"Group {g + 1}", PALETTE[g % len(PALETTE)]) for g in range(len(groups))]
    return svg_map(places, title=title, legend=legend), missing
