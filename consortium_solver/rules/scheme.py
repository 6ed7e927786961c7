"""An exchange scheme as data — ClusterXchange's rules, each with its source, its lump-sum ceilings
and the weights of a programme's value — loaded from a TOML model (``models/clusterxchange-2020.toml``)
and a ceilings CSV the user can replace.
"""

from __future__ import annotations

import csv
import io
import math
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from consortium_solver import reference
from consortium_solver.core.errors import InputError, decode_text, read_input
from consortium_solver.domain.exchanges import ParticipantType
from consortium_solver.rules.call import Weight
from consortium_solver.rules.kinds import RULE_ID
from consortium_solver.rules.loading import file_in_folder, parse_toml, validation_error

# The rules every exchange scheme model states (with its words and source); the validator judges
# each of them by this id.
SCHEME_RULES = (
    "cosme-countries",
    "different-countries",
    "visitor-type",
    "membership",
    "host-type",
    "visit-once",
    "host-capacity",
    "host-at-once",
    "duration",
    "dates",
    "virtual",
    "lump-sum",
    "budget",
)
DEFAULT_SCHEME = "clusterxchange-2020"
_FROZEN = ConfigDict(frozen=True, extra="forbid")


class SchemeRule(BaseModel):
    """One rule of the scheme in words, and where it comes from."""

    model_config = _FROZEN

    id: Annotated[str, Field(pattern=RULE_ID)]
    text: str
    source: str


class ExchangeObjective(BaseModel):
    """Weights of a programme's value: Σ over exchanges of weight × term (each from −1,000 to
    1,000)."""

    model_config = _FROZEN

    exchange: Weight = 10.0  # each exchange made
    fit: Weight = 2.0  # each topic the visitor seeks that the host offers
    shared_sector: Weight = 1.0  # visitor and host share an ecosystem
    lagging: Weight = 2.0  # the visitor or the host is in a less developed or transition region
    full_lump_sum: Weight = (
        1.0  # the lump sum is not halved (5 working days or more, 200 km or more)
    )


class Scheme(BaseModel):
    """An exchange scheme: who may visit and host, how long, what is paid, and what is valued."""

    model_config = _FROZEN

    kind: Literal["exchange_scheme"]
    id: Annotated[str, Field(min_length=1)]
    title: str
    url: str | None = None
    description: str | None = None
    countries: Literal["cosme-2018"] = "cosme-2018"
    visitor_types: tuple[ParticipantType, ...] = Field(min_length=1)
    host_types: tuple[ParticipantType, ...] = Field(min_length=1)
    member_types: tuple[ParticipantType, ...] = Field(
        default=(), description="types that visit only as members of a cluster (rule membership)"
    )
    min_working_days: int = Field(default=3, ge=1, le=60)
    max_working_days: int = Field(default=22, ge=1, le=60)
    halve_below_working_days: int = Field(default=5, ge=0, le=60)
    halve_below_km: float = Field(default=200.0, ge=0, le=40_000, allow_inf_nan=False)
    default_ceiling: float = Field(ge=0, le=100_000, allow_inf_nan=False)
    ceilings: dict[str, float] = Field(default_factory=dict)
    virtual_lump_sum: float | None = Field(
        default=None,
        ge=0,
        le=100_000,
        allow_inf_nan=False,
        description="EUR paid for a virtual exchange; none: the scheme offers no virtual exchanges",
    )
    rules: tuple[SchemeRule, ...]
    objective: ExchangeObjective = ExchangeObjective()

    @model_validator(mode="after")
    def _complete(self) -> Scheme:
        if self.min_working_days > self.max_working_days:
            raise ValueError("min_working_days is larger than max_working_days")
        ids = [r.id for r in self.rules]
        if sorted(ids) != sorted(SCHEME_RULES):
            missing = sorted(set(SCHEME_RULES) - set(ids))
            extra = sorted(set(ids) - set(SCHEME_RULES))
            raise ValueError(
                f"the scheme states each of its rules once: missing {missing}, unknown {extra}"
            )
        for country, amount in self.ceilings.items():
            if country not in reference.countries() or not (0 <= amount <= 100_000):
                raise ValueError(f"ceiling {country}: {amount} is not a country and an amount")
        return self

    def countries_allowed(self) -> frozenset[str]:
        return frozenset(reference.cosme_countries_2018())

    def ceiling(self, country: str) -> float:
        """The largest lump sum for a stay in ``country`` (EUR)."""
        return self.ceilings.get(country, self.default_ceiling)

    def rule(self, rule_id: str) -> SchemeRule:
        return next(r for r in self.rules if r.id == rule_id)


def packaged_scheme_path(name: str = DEFAULT_SCHEME) -> Any:
    return resources.files("consortium_solver").joinpath("models", f"{name}.toml")


def load_scheme(ref: str | Path = DEFAULT_SCHEME, ceilings: Path | None = None) -> Scheme:
    """A scheme model, packaged (by name) or from a TOML file; ``ceilings`` (a CSV of country, EUR)
    replaces the model's own ceilings file.

    Raises:
        InputError: the file is missing, not TOML, or not a valid scheme.
    """
    text_ref = str(ref)
    path = Path(text_ref)
    if path.suffix == ".toml" or path.exists():
        source, folder = text_ref, path.parent
        text = decode_text(read_input(path, "scheme model file"), source)
    else:
        entry = packaged_scheme_path(text_ref)
        if not entry.is_file():
            raise InputError(f"unknown exchange scheme {text_ref!r} (packaged: {DEFAULT_SCHEME})")
        source, folder = f"models/{text_ref}.toml", Path(str(entry)).parent
        text = entry.read_text(encoding="utf-8")
    data = parse_toml(text, source)
    ceilings_file = data.pop("ceilings_file", None)
    if ceilings is not None:
        data["ceilings"] = read_ceilings(ceilings)
    elif ceilings_file is not None:
        path = file_in_folder(ceilings_file, folder, source, "ceilings_file", "ceilings file")
        data["ceilings"] = read_ceilings(path)
    try:
        return Scheme.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, source) from None


def read_ceilings(path: Path) -> dict[str, float]:
    """A CSV of lump-sum ceilings: a header ``country,eur``, then one row per country."""
    source = str(path)
    text = decode_text(read_input(path, "ceilings file"), source)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or [c.strip().lower() for c in rows[0][:2]] != ["country", "eur"]:
        raise InputError("a ceilings file starts with the header country,eur", source=source)
    out: dict[str, float] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not row or not "".join(row).strip():
            continue
        country = reference.normalise_country(row[0])
        try:
            amount = float(row[1]) if len(row) > 1 else math.nan
        except ValueError:
            amount = math.nan
        if country not in reference.countries():
            raise InputError("not a country code", source=source, where=f"row {line}")
        if not 0 <= amount <= 100_000:
            raise InputError(
                "a ceiling is an amount in EUR from 0 to 100,000",
                source=source,
                where=f"row {line}",
            )
        out[country] = amount
    return out
