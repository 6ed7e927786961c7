"""Guests of an event's groups (``group --guests``): the attendees the call's member rules leave out
— a university, a consultancy, a cluster not yet on the ECCP — seated with the groups instead of
being sent home. A guest is no member: the group's rules and score read its members only, so every
group still meets the call on its eligible members; the guests sit where they meet fewest people
they met before, spread evenly over the round's groups."""

from __future__ import annotations

from collections.abc import Sequence

from consortium_solver.domain import Ineligible, Organisation


def seat_guests(
    rounds: Sequence[Sequence[Sequence[str]]],
    guests: Sequence[Organisation],
    seats: Sequence[Sequence[int]] | None = None,
) -> list[list[list[str]]]:
    """For each round and group, its guests: each guest attending a round goes to the group with
    fewest guests so far, then the one where it has met fewest members and guests in earlier
    rounds, then the smallest (ties to the first). A round without groups seats nobody; with
    ``seats`` (each group's table's), a guest goes only where a seat is free, and stays unseated
    when none is."""
    met: dict[tuple[str, str], int] = {}
    out: list[list[list[str]]] = []
    for r, groups in enumerate(rounds, start=1):
        seated: list[list[str]] = [[] for _ in groups]
        for guest in guests:
            free = [
                g
                for g in range(len(groups))
                if seats is None or len(groups[g]) + len(seated[g]) < seats[r - 1][g]
            ]
            if free and guest.attends(r):
                best = min(free, key=lambda g: _cost(guest.id, g, groups, seated, met))
                seated[best].append(guest.id)
        for members, visitors in zip(groups, seated, strict=True):
            for v in visitors:
                for p in [*members, *visitors]:
                    if p != v:
                        met[(v, p)] = met.get((v, p), 0) + 1
                        met[(p, v)] = met.get((p, v), 0) + 1
        out.append(seated)
    return out


def _cost(
    guest: str,
    g: int,
    groups: Sequence[Sequence[str]],
    seated: list[list[str]],
    met: dict[tuple[str, str], int],
) -> tuple[int, int, int, int]:
    """A group's cost for a guest: its guests so far, the people there the guest has met, its
    size, its number."""
    people = [*groups[g], *seated[g]]
    return len(seated[g]), sum(met.get((guest, p), 0) for p in people), len(people), g


def as_guests(
    pool_order: Sequence[Organisation], ineligible: Sequence[Ineligible], rounds: int
) -> tuple[list[Organisation], list[Ineligible]]:
    """Of those set aside, the ones to seat as guests — left out by the call's member rules and
    attending a round — and the rest, still set aside (attending no round, or partners of a
    --together pair set aside)."""
    reasons = {i.id: i for i in ineligible}
    guests, rest = [], []
    for org in pool_order:
        entry = reasons.get(org.id)
        if entry is None:
            continue
        kept_out = entry.why.startswith(("attends", "does not attend", "to be together"))
        if kept_out or not any(org.attends(r) for r in range(1, rounds + 1)):
            rest.append(entry)
        else:
            guests.append(org)
    return guests, rest
