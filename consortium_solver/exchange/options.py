"""How a ClusterXchange programme is planned: :class:`ExchangeOptions`, the exchange task's options
model — the shared limits, seed and workers (:class:`~consortium_solver.core.options.TaskOptions`),
pairs asked for or refused, and how many programmes to list."""

from __future__ import annotations

from pydantic import Field, ValidationInfo, field_validator

from consortium_solver.core.options import TaskOptions

Pair = tuple[str, str]


class ExchangeOptions(TaskOptions):
    """What the coordinator asks of the programme."""

    time_limit: float = Field(
        default=60.0, gt=0, le=1_000_000, allow_inf_nan=False, description="seconds for the run"
    )
    include: tuple[Pair, ...] = Field(default=(), description="(visitor, host) pairs to include")
    exclude: tuple[Pair, ...] = Field(default=(), description="(visitor, host) pairs to refuse")
    top: int = Field(
        default=1,
        ge=1,
        le=100,
        description="programmes to list: the best, then the next-best distinct ones",
    )
    keep: tuple[tuple[str, str, str], ...] = Field(
        default=(),
        description="(visitor, host, status) of the confirmed and done exchanges of the programme"
        " as it runs: kept in the plan with their status (`exchange --keep plan.json`)",
    )
    history: tuple[str, ...] = Field(
        default=(),
        description="participants who visited in earlier programmes: none visits again (rule"
        " visit-once; `exchange --history plan.json`)",
    )
    max_halved: float | None = Field(
        default=None,
        ge=0,
        le=1,
        allow_inf_nan=False,
        description="the largest share of exchanges paid half the lump sum (a short stay or a"
        " trip under the scheme's distance); none: no cap. Budgets favour many short hops: this"
        " keeps the programme to real stays",
    )
    differ_by: int = Field(
        default=1,
        ge=1,
        le=10_000,
        description="each next-best programme leaves out at least this many exchanges of every"
        " programme listed before it",
    )

    @field_validator("exclude")
    @classmethod
    def _not_both(cls, exclude: tuple[Pair, ...], info: ValidationInfo) -> tuple[Pair, ...]:
        both = set(info.data.get("include", ())) & set(exclude)
        if both:
            v, h = sorted(both)[0]
            raise ValueError(f"{v}:{h} is asked to be both included and excluded")
        return exclude
