"""The tables of an event (``group --tables``, or the sheet's *Tables* worksheet) as the grouping
sees them: in each round, the tables laid, the largest first — group k of the round sits at table
k, and holds at most its seats."""

from __future__ import annotations

from collections.abc import Sequence

from consortium_solver.domain import Table


def laid_tables(tables: Sequence[Table], rounds: int) -> list[list[Table]]:
    """For each round, the tables laid in it, the most seats first (then as listed); none when
    the event lists no tables."""
    if not tables:
        return []
    return [
        sorted((t for t in tables if t.laid(r)), key=lambda t: -t.capacity)
        for r in range(1, rounds + 1)
    ]


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
