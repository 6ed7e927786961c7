"""Dates of a stay: working days are Monday to Friday (travel days excluded, as the scheme counts
them); a stay of d working days starts on a working day and ends on its d-th. A visitor may give a
travel window (first and last day it can be away), a host the ranges of days it cannot receive
anyone; a stay is placed at the earliest start that fits both.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

Range = tuple[date, date]  # first and last day, both included


def is_working_day(day: date) -> bool:
    return day.weekday() < 5


def working_days(start: date, end: date) -> int:
    """The working days from ``start`` to ``end``, both included (0 when end is before start)."""
    if end < start:
        return 0
    weeks, rest = divmod((end - start).days + 1, 7)
    count = weeks * 5
    for k in range(rest):
        count += is_working_day(start + timedelta(days=weeks * 7 + k))
    return count


def stay_end(start: date, days: int) -> date:
    """The last day of a stay of ``days`` working days from the working day ``start``."""
    day, left = start, days - 1
    while left > 0:
        day += timedelta(days=1)
        left -= is_working_day(day)
    return day


def overlaps(first: date, last: date, ranges: Sequence[Range]) -> bool:
    return any(first <= b and a <= last for a, b in ranges)


def first_start(window: Range | None, days: int, unavailable: Sequence[Range]) -> date | None:
    """The earliest working day a stay of ``days`` working days can start within ``window`` (None:
    no window, so no dates) without touching an ``unavailable`` range; None when none fits."""
    if window is None:
        return None
    day, last = window
    while day <= last:
        if is_working_day(day):
            end = stay_end(day, days)
            if end > last:
                return None
            clash = [b for a, b in unavailable if day <= b and a <= end]
            if not clash:
                return day
            day = max(clash) + timedelta(days=1)  # past the range it touches
            continue
        day += timedelta(days=1)
    return None
