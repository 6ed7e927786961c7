"""What an organiser asks of a grouping: :class:`GroupOptions`, the grouping task's options model
(the shared limits, seed and workers of :class:`~consortium_solver.core.options.TaskOptions`,
plus the group sizes, rounds, objective and pairs). Checked here, once, for every surface: the
command line, the web app and the benchmark suites all build this model."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence

from pydantic import Field, ValidationError, ValidationInfo, field_validator

from consortium_solver.core.options import OptionError, TaskOptions
from consortium_solver.domain import Pool, Table
from consortium_solver.domain.fields import Balance
from consortium_solver.reference.places import fold
from consortium_solver.rules import Mode, Size, user_size

Pair = tuple[str, str]
PairIn = tuple[str, str, tuple[int, ...]]  # a pair and the rounds (from 1) it is about


class GroupOptions(TaskOptions):
    """What the organiser asks for."""

    time_limit: float = Field(
        default=30.0, gt=0, le=1_000_000, allow_inf_nan=False, description="seconds for the run"
    )
    size: tuple[int, int] = Field(default=(3, 5), description="members per group, A..B")
    objective: Mode = Field(
        default="sum", description="sum: the total score; min: the worst group first (balanced)"
    )
    rounds: int = Field(default=1, ge=1, le=1000, description="rounds; no pair meets twice")
    allow_repeats: bool = Field(
        default=False, description="minimise repeated meetings instead of forbidding them"
    )
    max_meetings: int = Field(
        default=1,
        ge=1,
        le=100,
        description="the rounds two organisations may share a group in (1: nobody meets twice)",
    )
    guests: bool = Field(
        default=False,
        description="seat the attendees the call's member rules leave out as guests of the"
        " groups (not counted by the groups' rules) instead of leaving them out",
    )
    hosts: tuple[str, ...] = Field(
        default=(),
        description="table hosts (ids): each group holds exactly one, who stays at its table"
        " every round it attends while the others rotate",
    )
    meet: tuple[Pair, ...] = Field(
        default=(), description="pairs who share a group in at least one round"
    )
    together_in: tuple[PairIn, ...] = Field(
        default=(),
        description="pairs in the same group in the given rounds (from 1): --together A,B@1,2,"
        " and --fix A=HOST@ROUNDS, a seat at a host's table",
    )
    apart_in: tuple[PairIn, ...] = Field(
        default=(), description="pairs in different groups in the given rounds: --apart A,B@1,2"
    )
    balance: tuple[Balance, ...] = Field(
        default=(),
        description="columns to balance across the groups (--balance COLUMN[:WEIGHT]), and"
        " per-group bounds on a value (--balance COLUMN=VALUE:MIN..MAX)",
    )
    seated: tuple[PairIn, ...] = Field(
        default=(),
        description="fixed seats at named tables: (id, table, rounds from 1) — --fix A=TABLE@1,2"
        " with --tables",
    )
    together: tuple[Pair, ...] = Field(default=(), description="pairs always in the same group")
    apart: tuple[Pair, ...] = Field(default=(), description="pairs never in the same group")
    improve: bool = Field(
        default=True,
        description="false: the greedy construction alone, groups breaking a rule dissolved"
        " (a baseline)",
    )
    start: tuple[tuple[tuple[str, ...], ...], ...] | None = Field(
        default=None,
        description="re-optimising adjusted groups: the schedule to start from (rounds of groups"
        " of ids), in place of the construction",
    )
    pinned: tuple[tuple[int, str], ...] = Field(
        default=(),
        description="(round from 0, id) pairs that stay in their groups (a pinned member leaves"
        " its group only if the group is dissolved for breaking a rule)",
    )

    @field_validator("size")
    @classmethod
    def _sizes(cls, size: tuple[int, int]) -> tuple[int, int]:
        low, high = size
        if low < 1 or low > high:
            raise ValueError(f"expected A..B with 1 <= A <= B, not {low}..{high}")
        return size

    @field_validator("together", "apart", "meet")
    @classmethod
    def _pairs(cls, pairs: tuple[Pair, ...]) -> tuple[Pair, ...]:
        for a, b in pairs:
            if a == b:
                raise ValueError(f"a pair names two different organisations, not {a},{b}")
        return pairs

    @field_validator("apart")
    @classmethod
    def _not_both_ways(cls, apart: tuple[Pair, ...], info: ValidationInfo) -> tuple[Pair, ...]:
        together = info.data.get("together", ())
        clash = {frozenset(p) for p in together} & {frozenset(p) for p in apart}
        if clash:
            shown = ",".join(sorted(next(iter(clash))))
            raise ValueError(f"the same pair is asked to be together and apart: {shown}")
        return apart

    tables: tuple[Table, ...] = Field(
        default=(),
        description="the event's tables (--tables): each group sits at one, within its seats"
        " (the tables' seats, not --size, bound a group); none: the pool's own (a Tables"
        " worksheet), else groups of --size",
    )

    def tables_of(self, pool: Pool) -> tuple[Table, ...]:
        """The event's tables: these options', else the pool's (none: groups of ``size``)."""
        return self.tables or pool.tables

    def size_rule(self, tables: Sequence[Table] = ()) -> Size:
        """The group sizes: ``size``, or with tables, from its minimum to the most seats."""
        if tables:
            most = max(t.capacity for t in tables)
            return user_size(min(self.size[0], most), most)
        return user_size(*self.size)


_BOUNDS = re.compile(r"^\s*(\d+)\s*(?:(\.\.|-|–)\s*(\d*)\s*)?$")


def balance_of(text: str) -> Balance:
    """``--balance`` as written: ``COLUMN``, ``COLUMN:WEIGHT``, ``COLUMN=VALUE:MIN..MAX`` (also
    ``MIN..`` for at least, ``..MAX`` for at most, ``N`` for exactly).

    Raises:
        OptionError: (field ``balance``) a weight or bounds that cannot be read.
    """
    column, eq, rest = text.partition("=")
    data: dict[str, object] = {"column": text.strip()}
    if eq:
        value, colon, bounds = rest.rpartition(":")
        bounds = bounds.strip()
        found = _BOUNDS.match("0" + bounds if bounds.startswith("..") else bounds)
        if not colon or not value.strip() or not found:
            message = "expected COLUMN=VALUE:MIN..MAX, e.g. Role=Buyer:1..2"
            raise OptionError.one("balance", text, message)
        low, dots, high = found.groups()
        top = int(high) if high else (None if dots else int(low))
        data = {"column": column.strip(), "value": value.strip(), "low": int(low), "high": top}
    else:
        name, colon, weight = text.rpartition(":")
        with contextlib.suppress(ValueError):  # else a colon in the column's name
            data = {"column": name.strip(), "weight": float(weight.replace(",", "."))}
        if not colon:
            data = {"column": text.strip()}
    try:
        return Balance.model_validate(data)
    except ValidationError as exc:
        message = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
        raise OptionError.one("balance", text, message) from None


def by_id(pool: Pool, options: GroupOptions) -> GroupOptions:
    """The options with the organisations their pairs name by name (as in the sheet) named by
    id; a word that is neither stays, for :func:`~consortium_solver.group.grouping.check_options`
    to report with a close name."""
    two = pool.id_of

    def pairs(values: Sequence[Pair]) -> tuple[Pair, ...]:
        return tuple((two(a), two(b)) for a, b in values)

    def timed(values: Sequence[PairIn]) -> tuple[PairIn, ...]:
        return tuple((two(a), two(b), rounds) for a, b, rounds in values)

    return options.model_copy(
        update={
            "together": pairs(options.together),
            "apart": pairs(options.apart),
            "meet": pairs(options.meet),
            "together_in": timed(options.together_in),
            "apart_in": timed(options.apart_in),
        }
    )


def balances_of(texts: Sequence[str]) -> tuple[Balance, ...]:
    """Every ``--balance`` as written (see :func:`balance_of`), every problem at once.

    Raises:
        OptionError: (field ``balance``) each value that cannot be read.
    """
    out: list[Balance] = []
    problems: list[tuple[str, object, str]] = []
    for text in texts:
        try:
            out.append(balance_of(text))
        except OptionError as bad:
            problems += bad.problems
    if problems:
        raise OptionError(problems)
    return tuple(out)


# A cell that marks an organisation (a table host), in the usual languages (compared folded).
MARKED = frozenset({"yes", "y", "x", "1", "true", "host", "ja", "oui", "si", "tak", "ano", "da",
                    "igen", "kylla", "sim"})  # fmt: skip


def hosts_named(pool: Pool, text: str) -> tuple[str, ...]:
    """Table hosts as an organiser names them: a column of the sheet whose marked cells (yes, x,
    host, ✓, …) name them, or the hosts themselves, by id or name, separated by commas.

    Raises:
        OptionError: (field ``hosts``) an unmarked column, or a name neither a column nor an
            organisation of the pool.
    """
    columns = {fold(k): k for o in pool.organisations for k in o.details}
    if fold(text) in columns:
        column = columns[fold(text)]
        marked = tuple(
            o.id
            for o in pool.organisations
            if (fold(o.details.get(column, "")) or o.details.get(column, "").strip()) in MARKED
            or o.details.get(column, "").strip() in ("✓", "✔", "*")
        )
        if not marked:
            message = (
                f"no organisation is marked as a host in the column {column!r} (write yes or x)"
            )
            raise OptionError.one("hosts", text, message)
        return marked
    by_name = {fold(o.name): o.id for o in pool.organisations}
    out = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        found = part if part in pool.by_id else by_name.get(fold(part))
        if found is None:
            known = ", ".join(sorted(set(columns.values()))[:6]) or "none"
            message = (
                f"neither a column of the sheet (its extra columns: {known}) nor an organisation"
            )
            raise OptionError.one("hosts", part, message)
        out.append(found)
    return tuple(dict.fromkeys(out))


def fixed_seats(
    pool: Pool,
    values: list[str],
    hosts: tuple[str, ...],
    rounds: int,
    tables: Sequence[Table] = (),
) -> tuple[tuple[PairIn, ...], tuple[PairIn, ...]]:
    """``--fix A=TABLE[@ROUNDS]``: A (a name or id) at a table, in those rounds or every round.
    With hosts, the table of a host (its name, id or the table's number), as pairs together in
    those rounds; else with tables, a named table (its name or number as listed), as seats.
    Returns (pairs, seats).

    Raises:
        OptionError: (field ``fix``) a seat without hosts or tables, or naming nobody or no
            table; every one at once.
    """
    names = {fold(t.name): t.name for t in tables}
    pairs: list[PairIn] = []
    seats: list[PairIn] = []
    problems: list[tuple[str, str, str]] = []
    for value in values:
        seat, _, when = value.partition("@")
        member, _, table = (part.strip() for part in seat.partition("="))
        person = pool.id_of(member)
        numbered = table.isdigit() and 1 <= int(table) <= len(hosts or tables)
        if hosts:
            place = hosts[int(table) - 1] if numbered else pool.id_of(table)
            known = place in hosts
        else:
            place = tables[int(table) - 1].name if numbered else names.get(fold(table), "")
            known = bool(place)
        chosen = tuple(range(1, rounds + 1))
        bad_rounds = bool(when) and not all(p.strip().isdigit() for p in when.split(","))
        if when and not bad_rounds:
            chosen = tuple(sorted({int(p) for p in when.split(",")}))
        if not hosts and not tables:
            problems.append(("fix", value, "a seat is at a table: give --tables or --hosts too"))
        elif person not in pool.by_id or not known:
            what = "a host or a table number" if hosts else "a table's name or number"
            message = f"expected A=TABLE[@ROUNDS]: an organisation, then {what}"
            problems.append(("fix", value, message))
        elif bad_rounds:
            problems.append(("fix", value, "expected rounds after @: 1,2"))
        else:
            (pairs if hosts else seats).append((person, place, chosen))
    if problems:
        raise OptionError(problems)
    return tuple(pairs), tuple(seats)
