"""What a run of the web app is asked to do, typed: one model per task — the task's own options
model of the library (:class:`GroupOptions`, :class:`BuildOptions` with the build's
:class:`Demands`, :class:`ExchangeOptions`) and the call or scheme it runs under. The form handler
builds one, the store keeps it as its JSON, the worker validates it back and hands the options to
the library whole: a field added to an options model reaches the run without a copy to update.
"""

from __future__ import annotations

import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from consortium_solver import DEFAULT_CALL
from consortium_solver.builder.demands import Demands
from consortium_solver.builder.options import BuildOptions
from consortium_solver.exchange.options import ExchangeOptions
from consortium_solver.group.options import GroupOptions
from consortium_solver.rules.scheme import DEFAULT_SCHEME


class Task(StrEnum):
    """The tasks a run can do."""

    GROUPS = "groups"
    CONSORTIUM = "consortium"
    EXCHANGE = "exchange"


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class GroupsRun(_Spec):
    """Groups for an event over one or more rounds (``group``)."""

    task: Literal[Task.GROUPS] = Task.GROUPS
    call: str = DEFAULT_CALL
    date: datetime.date | None = Field(
        default=None, description="the day the call's country lists are read on"
    )
    options: GroupOptions = GroupOptions()

    @property
    def size(self) -> tuple[int, int] | None:
        return self.options.size


class ConsortiumRun(_Spec):
    """The best consortia for a lead partner (``build``)."""

    task: Literal[Task.CONSORTIUM] = Task.CONSORTIUM
    call: str = DEFAULT_CALL
    date: datetime.date | None = Field(
        default=None, description="the day the call's country lists are read on"
    )
    demands: Demands = Demands()
    options: BuildOptions = BuildOptions()

    @property
    def size(self) -> tuple[int, int] | None:
        return self.demands.size


class ExchangeRun(_Spec):
    """A ClusterXchange programme (``plan_exchanges``)."""

    task: Literal[Task.EXCHANGE] = Task.EXCHANGE
    scheme: str = DEFAULT_SCHEME
    options: ExchangeOptions = ExchangeOptions()

    @property
    def size(self) -> tuple[int, int] | None:
        return None


RunSpec = Annotated[GroupsRun | ConsortiumRun | ExchangeRun, Field(discriminator="task")]
SPECS: TypeAdapter[RunSpec] = TypeAdapter(RunSpec)


def spec_from_json(text: str) -> GroupsRun | ConsortiumRun | ExchangeRun:
    """A stored run's spec, validated again (an unknown task is refused, never guessed)."""
    return SPECS.validate_json(text)
