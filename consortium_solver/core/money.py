"""Money in whole cents. An amount in EUR (a budget, a lump-sum ceiling) is rounded to the cent once,
where it comes in (half up: EUR 1,169.996 is EUR 1,170.00); from there on the planner, the validator
and every output count whole cents, so the sum the validator adds up is the sum the planner kept
within the budget. A halved lump sum is rounded down to the cent (half of EUR 780.01 is EUR 390.00):
the scheme never pays more than half.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_cents(euros: float) -> int:
    """An amount in EUR as whole cents, rounded half up (by its decimal digits as written:
    ``repr`` of the float, so 0.285 is 29 cents, not 28 as binary rounding gives)."""
    return int(Decimal(repr(float(euros))).quantize(CENT, rounding=ROUND_HALF_UP) * 100)


def half(cents: int) -> int:
    """Half an amount of cents, rounded down to the cent."""
    return cents // 2


def euros(cents: int) -> float:
    """Whole cents as EUR (for documents and display; never summed again as floats)."""
    return cents / 100


def rounded(euros_given: float) -> bool:
    """Whether an amount has digits below the cent (and so is rounded when it comes in)."""
    return Decimal(repr(float(euros_given))) != Decimal(to_cents(euros_given)) / 100
