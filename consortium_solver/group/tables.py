"""The tables of an event (``group --tables``, or the sheet's *Tables* worksheet) as the grouping
sees them: in each round, the tables laid, the largest first — group k of the round sits at table
k, and holds at most its seats."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from consortium_solver.core.options import OptionError
from consortium_solver.domain import Organisation, Table


def laid_tables(
    tables: Sequence[Table], rounds: int, first: Collection[str] = ()
) -> list[list[Table]]:
    """For each round, the tables laid in it: those ``first`` (with a fixed seat: always used),
    then the most seats first (then as listed); none when the event lists no tables."""
    if not tables:
        return []
    return [
        sorted((t for t in tables if t.laid(r)), key=lambda t: (t.name not in first, -t.capacity))
        for r in range(1, rounds + 1)
    ]


def fixed_at(
    candidates: Sequence[Organisation],
    seated: Sequence[tuple[str, str, tuple[int, ...]]],
    laid: Sequence[Sequence[Table]],
    absent: Sequence[frozenset[int]],
) -> list[list[tuple[int, int]]]:
    """For each round, the fixed seats (``--fix A=TABLE@ROUNDS``) as (candidate, table k).

    Raises:
        OptionError: (field ``fix``) a seat for one set aside, absent that round, or at a table
            not laid then; every one at once.
    """
    index = {o.id: i for i, o in enumerate(candidates)}
    out: list[list[tuple[int, int]]] = [[] for _ in laid]
    problems = []
    for member, table, rounds in seated:
        said = f"{member}={table}"
        if member not in index:
            problems.append(("fix", said, f"{member} is set aside: it sits at no table"))
            continue
        for r in rounds:
            names = [t.name for t in laid[r - 1]] if r <= len(laid) else []
            if table not in names:
                problems.append(("fix", f"{said}@{r}", f"{table} is not laid in round {r}"))
            elif index[member] in absent[r - 1]:
                problems.append(("fix", f"{said}@{r}", f"{member} does not attend round {r}"))
            else:
                out[r - 1].append((index[member], names.index(table)))
    if problems:
        raise OptionError(problems)
    return out


def seats_short(laid: Sequence[Sequence[Table]], attendees: Sequence[int]) -> str | None:
    """The rounds whose tables seat fewer than their attendees, in words (None: all seated, or
    no tables listed)."""
    if not laid:
        return None
    short = [
        (r, sum(t.capacity for t in tables), n)
        for r, (tables, n) in enumerate(zip(laid, attendees, strict=True), start=1)
        if sum(t.capacity for t in tables) < n
    ]
    if not short:
        return None
    said = "; ".join(
        f"round {r}: {n - seats} of {n} attendees have no seat ({len(laid[r - 1])} tables,"
        f" {seats} seats)"
        for r, seats, n in short
    )
    return f"too few seats — {said}; add tables or seats (--tables)"


def at_tables(
    rounds: Sequence[Sequence[Sequence[str]]], laid: Sequence[Sequence[Table]]
) -> tuple[list[list[list[str]]], list[list[Table]]]:
    """The groups of each round (group k at table k of the round), those left empty dropped
    with their tables."""
    groups_out, tables_out = [], []
    for groups, tables in zip(rounds, laid, strict=False):
        kept = [(list(g), t) for g, t in zip(groups, tables, strict=False) if g]
        groups_out.append([g for g, _ in kept])
        tables_out.append([t for _, t in kept])
    return groups_out, tables_out
