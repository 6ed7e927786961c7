"""Judging a schedule of groupings: every group by the consortium validator, and the schedule's own
rules (a partition per round, together and apart pairs, no repeated meeting)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from consortium_solver.core.errors import InputError
from consortium_solver.domain import BalanceMeasure, Consortium, Pool, Table
from consortium_solver.domain.fields import Balance
from consortium_solver.rules import AnyRule, Call, MemberIn
from consortium_solver.validate.balance import judge_balance
from consortium_solver.validate.consortium import check


def _pair_problems(
    pool: Pool,
    r: int,
    seen: dict[str, int],
    pairs: tuple[Sequence[tuple[str, str]], Sequence[tuple[str, str]]],
    together_in: Sequence[tuple[str, str, Sequence[int]]],
    apart_in: Sequence[tuple[str, str, Sequence[int]]],
) -> list[str]:
    """Round r's pairs: together (in the rounds both attend), apart, and together or apart in
    some rounds (``seen``: who sits in which group of the round)."""
    together, apart = pairs
    problems: list[str] = []
    for a, b in together:
        if not (_attends(pool, a, r) and _attends(pool, b, r)):
            continue  # together in the rounds both attend
        if seen.get(a) != seen.get(b):
            problems.append(f"user:together:{a}+{b}: round {r}: {a} and {b} are apart")
    for a, b, wanted in together_in:
        if r in wanted and (seen.get(a) is None or seen.get(a) != seen.get(b)):
            problems.append(f"user:together:{a}+{b}@{r}: {a} and {b} are apart in round {r}")
    for a, b in apart:
        if a in seen and seen.get(a) == seen.get(b):
            problems.append(f"user:apart:{a}+{b}: round {r}: {a} and {b} share group {seen[a]}")
    for a, b, wanted in apart_in:
        if r in wanted and a in seen and seen.get(a) == seen.get(b):
            problems.append(f"user:apart:{a}+{b}@{r}: {a} and {b} share group {seen[a]}")
    return problems


def _judge_group(
    pool: Pool,
    call: Call,
    where: tuple[int, int],
    members: Sequence[str],
    visitors: Sequence[str],
    extra_rules: Sequence[AnyRule],
    seen: dict[str, int],
    problems: list[str],
) -> Consortium:
    """Group g of round r judged: its rules on its members, its guests, and everyone seated there
    once in the round (``seen``: who sits in which group so far) and attending it."""
    r, g = where
    assessment = check(pool, call, list(members), extra_rules=extra_rules)
    problems += [f"{v.rule}: round {r}, group {g}: {v.why}" for v in assessment.failed]
    problems += _guest_problems(pool, call, r, g, visitors)
    for member in [*members, *visitors]:
        if member in seen:
            problems.append(f"partition: round {r}: {member} is in groups {seen[member]} and {g}")
        seen[member] = g
        org = pool.by_id.get(member)
        if org is not None and not org.attends(r):
            problems.append(
                f"attendance: round {r}, group {g}: {member} does not attend round {r}"
                f" (it attends {_rounds_words(org.rounds or ())})"
            )
    return Consortium(
        members=tuple(members),
        score=assessment.score,
        breakdown=assessment.breakdown,
        guests=tuple(visitors),
    )


def _table_problems(r: int, g: int, seated: int, tables: Sequence[Sequence[Table]]) -> list[str]:
    """Group g of round r at its table: one there is, laid in the round, not shared with another
    group, with a seat for everyone."""
    laid = tables[r - 1] if r <= len(tables) else ()
    if g > len(laid):
        return [f"tables: round {r}, group {g}: no table"]
    table = laid[g - 1]
    out = []
    if not table.laid(r):
        out.append(f"tables: round {r}, group {g}: {table.name} is not laid in round {r}")
    if [t.name for t in laid].count(table.name) > 1:
        out.append(f"tables: round {r}, group {g}: {table.name} holds another group too")
    if seated > table.capacity:
        out.append(
            f"tables: round {r}, group {g}: {seated} seated at {table.name}, which has"
            f" {table.capacity} seats"
        )
    return out


def _at_tables(
    judged: list[list[Consortium]], tables: Sequence[Sequence[Table]]
) -> list[list[Consortium]]:
    """Each judged group with the name of its table."""
    out = []
    for r, groups in enumerate(judged):
        laid = tables[r] if r < len(tables) else ()
        out.append(
            [c.model_copy(update={"table": laid[g].name}) if g < len(laid) else c
             for g, c in enumerate(groups)]
        )  # fmt: skip
    return out


def _seat_problems(
    judged: Sequence[Sequence[Consortium]], seated: Sequence[tuple[str, str, Sequence[int]]]
) -> list[str]:
    """Each fixed seat held: the organisation at its table in each of its rounds."""
    out = []
    for member, table, rounds in seated:
        for r in rounds:
            groups = judged[r - 1] if r <= len(judged) else ()
            at = next((g.table for g in groups if member in (*g.members, *g.guests)), None)
            if at != table:
                out.append(f"fix: round {r}: {member} sits at {at or 'no table'}, not {table}")
    return out


def _meet_problems(met: dict[frozenset[str], int], meet: Sequence[tuple[str, str]]) -> list[str]:
    """The --meet pairs that share no group in any round."""
    return [
        f"user:meet:{a}+{b}: {a} and {b} share no group in any round"
        for a, b in meet
        if not met.get(frozenset((a, b)))
    ]


def _at(visitors: Sequence[Sequence[str]], g: int) -> Sequence[str]:
    """The guests of group g (from 1) of a round, none when the round lists none for it."""
    return visitors[g - 1] if g <= len(visitors) else ()


def _repeated(
    met: dict[frozenset[str], int], together: Sequence[tuple[str, str]], most: int
) -> list[tuple[str, ...]]:
    """The pairs meeting more than ``most`` times, but together pairs (together by request)."""
    wanted = {frozenset(pair) for pair in together}
    return sorted(tuple(sorted(k)) for k, n in met.items() if n > most and k not in wanted)


def _count_meetings(met: dict[frozenset[str], int], members: Sequence[str]) -> None:
    """Every pair of the group meets once more."""
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            key = frozenset((a, b))
            met[key] = met.get(key, 0) + 1


def _host_problems(r: int, g: int, members: Sequence[str], hosts: Sequence[str]) -> list[str]:
    """A group of an event with table hosts holds exactly one of them."""
    present = [m for m in members if m in hosts]
    if len(present) == 1:
        return []
    if not present:
        return [f"hosts: round {r}, group {g}: no table host"]
    return [f"hosts: round {r}, group {g}: {len(present)} hosts ({', '.join(present)})"]


def _guest_problems(pool: Pool, call: Call, r: int, g: int, visitors: Sequence[str]) -> list[str]:
    """A group's guests must be organisations of the pool that the call's member rules leave out."""
    filters = [rule for rule in call.rules if isinstance(rule, MemberIn)]
    out = []
    for guest in visitors:
        org = pool.by_id.get(guest)
        if org is None:
            raise InputError(pool.unknown_id_message(guest), field="guests", value=guest)
        if all(rule.matches(org) for rule in filters):
            out.append(
                f"guests: round {r}, group {g}: {guest} meets the call's member rules: it is a"
                " member, not a guest"
            )
    return out


def _attends(pool: Pool, org_id: str, r: int) -> bool:
    org = pool.by_id.get(org_id)
    return org is None or org.attends(r)


def _rounds_words(rounds: Sequence[int]) -> str:
    """ "rounds 1 and 3", "round 2", "no round"."""
    if not rounds:
        return "no round"
    if len(rounds) == 1:
        return f"round {rounds[0]}"
    return "rounds " + ", ".join(map(str, rounds[:-1])) + f" and {rounds[-1]}"


@dataclass
class GroupingVerdict:
    """The validator's answer for a grouping: every group judged, and the schedule's own rules."""

    rounds: list[list[Consortium]]
    unassigned: list[str]  # attending a round but in no group of it
    problems: list[str]
    repeats: int
    repeated: list[tuple[str, str]] = field(default_factory=list)  # the pairs meeting twice or more
    balance: list[BalanceMeasure] = field(default_factory=list)  # each --balance column measured

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def repeats_only(self) -> bool:
        return all(p.startswith("repeat:") for p in self.problems)


def check_grouping(
    pool: Pool,
    call: Call,
    rounds: Sequence[Sequence[Sequence[str]]],
    *,
    extra_rules: Sequence[AnyRule] = (),
    together: Sequence[tuple[str, str]] = (),
    apart: Sequence[tuple[str, str]] = (),
    allow_repeats: bool = False,
    max_meetings: int = 1,
    guests: Sequence[Sequence[Sequence[str]]] | None = None,
    hosts: Sequence[str] = (),
    meet: Sequence[tuple[str, str]] = (),
    together_in: Sequence[tuple[str, str, Sequence[int]]] = (),
    apart_in: Sequence[tuple[str, str, Sequence[int]]] = (),
    balance: Sequence[Balance] = (),
    tables: Sequence[Sequence[Table]] | None = None,
    seated: Sequence[tuple[str, str, Sequence[int]]] = (),
) -> GroupingVerdict:
    """Judge a schedule of groupings. Every group must meet the call's rules and the extra rules; within a round nobody appears
    twice, and nobody sits in a round the organisation does not attend (its ``rounds``);
    ``together`` pairs share a group or both stay out (in the rounds both attend), ``apart``
    pairs never share one; and, unless ``allow_repeats``, no two organisations share a group in
    more than ``max_meetings`` rounds (``user:no-repeats``) -- except ``together`` pairs, who
    share one by request in every round they are placed. ``guests[r][g]``: the guests of group g
    of round r, each an organisation the call's member rules leave out (one that meets them would
    be a member); guests obey attendance and the partition, and no group rule, score or
    meeting count reads them. ``hosts``: every group holds exactly one; ``meet`` pairs share a
    group in some round; ``together_in``/``apart_in`` pairs do/do not in each of their rounds.
    ``balance``: bounds on a column's value hold in every group, balanced columns are measured
    (:mod:`.balance`). ``tables[r][g]``: group g of round r's table, laid then, one group to a
    table, seats for its members and guests; ``seated``: (id, table, rounds) fixed seats.
    Problems are sentences naming the rule id.

    Raises:
        InputError: an id is not in the pool.
    """
    problems: list[str] = []
    judged: list[list[Consortium]] = []
    met: dict[frozenset[str], int] = {}
    left_out: set[str] = set()
    for r, groups in enumerate(rounds, start=1):
        seen: dict[str, int] = {}
        visitors = guests[r - 1] if guests else ()
        judged_round = [
            _judge_group(pool, call, (r, g), members, _at(visitors, g), extra_rules, seen, problems)
            for g, members in enumerate(groups, start=1)
        ]
        for g, members in enumerate(groups, start=1):
            problems += _host_problems(r, g, members, hosts) if hosts else []
            if tables is not None:
                problems += _table_problems(r, g, len(members) + len(_at(visitors, g)), tables)
            _count_meetings(met, members)
        problems += _pair_problems(pool, r, seen, (together, apart), together_in, apart_in)
        left_out |= {o.id for o in pool.organisations if o.id not in seen and o.attends(r)}
        judged.append(judged_round)
    problems += _meet_problems(met, meet)
    repeated = _repeated(met, together, max_meetings)
    repeats = len(repeated)
    if repeats and not allow_repeats:
        times = "once" if max_meetings == 1 else f"{max_meetings} times"
        problems.append(
            f"repeat: user:no-repeats: {repeats} pairs meet more than {times},"
            f" e.g. {'+'.join(repeated[0])}"
        )
    bounds, measures = judge_balance(pool, rounds, balance)
    if tables is not None:
        judged = _at_tables(judged, tables)
    problems += _seat_problems(judged, seated)
    order = {o.id: i for i, o in enumerate(pool.organisations)}
    return GroupingVerdict(
        rounds=judged,
        unassigned=sorted(left_out, key=order.__getitem__),
        problems=problems + bounds,
        repeats=repeats,
        repeated=[(pair[0], pair[1]) for pair in repeated],
        balance=measures,
    )
