"""Call models as data: the rule vocabulary, objective weights, and the TOML loader.

A call model (``models/*.toml``) lists rules, each a table with a ``kind`` and a stable ``id``:

- ``member_in``: every member's ``field`` is one of ``values`` (a list, or a packaged list such as
  ``"@cosme-2018"``);
- ``size``: the consortium has between ``min`` and ``max`` members (``max`` optional);
- ``min_distinct``: the members show at least ``min`` distinct values of ``field``;
- ``min_count``: at least ``min`` members have ``field`` in ``values``;
- ``max_per_value``: no value of ``field`` is shared by more than ``max`` members.

The ``[objective]`` table holds the weights of DESIGN §4. Rule ids travel into verdicts, solver
assumptions and conflict explanations, so a user can find everything about a rule by its id.
"""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from consortium_solver import reference
from consortium_solver.domain import (
    EccpStatus,
    Maturity,
    Organisation,
    OrganisationType,
    RegionCategory,
    Term,
)
from consortium_solver.errors import InputError

ScalarField = Literal[
    "country", "nuts2", "region_category", "organisation_type", "eccp_status", "maturity"
]
DistinctField = Literal[
    "country",
    "nuts2",
    "region_category",
    "organisation_type",
    "eccp_status",
    "maturity",
    "sectors",
]

RULE_ID = r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$"

FIELD_WORDS: dict[str, str] = {
    "country": "country",
    "nuts2": "NUTS-2 region",
    "region_category": "region category",
    "organisation_type": "organisation type",
    "eccp_status": "ECCP status",
    "maturity": "maturity label",
    "sectors": "sector",
}

FIELD_PLURALS: dict[str, str] = {
    "country": "countries",
    "nuts2": "NUTS-2 regions",
    "region_category": "region categories",
    "organisation_type": "organisation types",
    "eccp_status": "ECCP statuses",
    "maturity": "maturity labels",
    "sectors": "sectors",
}

# Packaged value lists a call model may name with '@'.
NAMED_LISTS: dict[str, tuple[str, str]] = {
    "@cosme-2018": ("country", "one of the COSME participating countries of 2018"),
    "@eu28": ("country", "one of the 28 EU member states of 2018"),
}

_ENUMS: dict[str, type[Any]] = {
    "region_category": RegionCategory,
    "organisation_type": OrganisationType,
    "eccp_status": EccpStatus,
    "maturity": Maturity,
}


def named_list(name: str) -> tuple[str, ...]:
    """The values of a packaged list such as ``@cosme-2018``."""
    if name == "@cosme-2018":
        return tuple(reference.cosme_countries_2018())
    if name == "@eu28":
        return tuple(sorted(reference.eu28_countries()))
    known = ", ".join(NAMED_LISTS)
    raise ValueError(f"unknown list {name!r} (known: {known})")


def member_value(org: Organisation, field: str) -> str | None:
    """The value of a scalar field of an organisation, as a plain string (None if absent)."""
    value = getattr(org, field)
    return None if value is None else str(value)


def passes_filters(org: Organisation, rules: Iterable[Any]) -> bool:
    """Whether an organisation meets every member filter (``member_in`` rule) among the rules."""
    return all(
        member_value(org, r.field) in set(r.values) for r in rules if isinstance(r, MemberIn)
    )


def _normalise_values(field: str, values: Iterable[str]) -> tuple[str, ...]:
    out = []
    for raw in values:
        if field == "country":
            code = reference.normalise_country(raw)
            if code not in reference.countries():
                raise ValueError(f"unknown country code {raw!r}")
        elif field == "nuts2":
            code = raw.strip().upper()
            if code not in reference.regions():
                raise ValueError(f"unknown NUTS-2 code {raw!r}")
        elif field in _ENUMS:
            allowed = [e.value for e in _ENUMS[field]]
            if raw not in allowed:
                raise ValueError(f"{raw!r} is not a {FIELD_WORDS[field]} (one of {allowed})")
            code = raw
        else:  # sectors
            if raw not in reference.sectors():
                raise ValueError(f"unknown sector {raw!r}")
            code = raw
        out.append(code)
    return tuple(dict.fromkeys(out))


class _Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Annotated[str, Field(pattern=RULE_ID, description="stable id, e.g. 'min-3-countries'")]
    text: str | None = Field(default=None, description="the rule in words; generated when absent")
    source: str | None = Field(default=None, description="where the rule comes from (call text)")

    def describe(self) -> str:
        """The rule as a sentence."""
        return self.text or self._generated_text()

    def _generated_text(self) -> str:  # pragma: no cover - every rule kind overrides it
        raise NotImplementedError


class _FieldValues(_Rule):
    """A rule that compares a scalar field with a list of values."""

    field: ScalarField
    values: tuple[str, ...] = Field(min_length=1)
    values_name: str | None = Field(default=None, description="set when values name a list")

    @model_validator(mode="before")
    @classmethod
    def _expand_named_list(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and isinstance(data.get("values"), str):
            name = data["values"]
            if not name.startswith("@"):
                raise ValueError("values must be a list or a packaged list name like '@cosme-2018'")
            data = {**data, "values": named_list(name), "values_name": name}
        return data

    @field_validator("values", mode="after")
    @classmethod
    def _check_values(cls, values: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        field = info.data.get("field")
        return values if field is None else _normalise_values(field, values)

    def values_text(self) -> str:
        if self.values_name:
            return NAMED_LISTS.get(self.values_name, (self.field, self.values_name))[1]
        return " or ".join(self.values)


class MemberIn(_FieldValues):
    """Every member's field is one of the values (an eligibility filter on members)."""

    kind: Literal["member_in"] = "member_in"

    def _generated_text(self) -> str:
        return f"every member's {FIELD_WORDS[self.field]} is {self.values_text()}"


class Size(_Rule):
    """The consortium has at least ``min`` and at most ``max`` members."""

    kind: Literal["size"] = "size"
    min: int = Field(default=1, ge=1)
    max: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> Size:
        if self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is larger than max ({self.max})")
        return self

    def _generated_text(self) -> str:
        if self.max is None:
            return f"at least {self.min} members"
        if self.min == self.max:
            return f"exactly {self.min} members"
        return f"between {self.min} and {self.max} members"


class MinDistinct(_Rule):
    """The members show at least ``min`` distinct values of ``field``."""

    kind: Literal["min_distinct"] = "min_distinct"
    field: DistinctField
    min: int = Field(ge=1)

    def _generated_text(self) -> str:
        return f"at least {self.min} different {FIELD_PLURALS[self.field]} among the members"


class MinCount(_FieldValues):
    """At least ``min`` members have ``field`` in ``values``."""

    kind: Literal["min_count"] = "min_count"
    min: int = Field(ge=1)

    def _generated_text(self) -> str:
        who = "member" if self.min == 1 else "members"
        return f"at least {self.min} {who} with {FIELD_WORDS[self.field]} {self.values_text()}"


class MaxPerValue(_Rule):
    """No value of ``field`` is shared by more than ``max`` members."""

    kind: Literal["max_per_value"] = "max_per_value"
    field: ScalarField
    max: int = Field(ge=1)

    def _generated_text(self) -> str:
        return f"at most {self.max} members with the same {FIELD_WORDS[self.field]}"


class Include(_Rule):
    """The listed organisations are all members (a user's ``--include`` or ``--lead``)."""

    kind: Literal["include"] = "include"
    members: tuple[str, ...] = Field(min_length=1)

    def _generated_text(self) -> str:
        return f"{', '.join(self.members)} must be in the consortium"


class Exclude(_Rule):
    """None of the listed organisations is a member (a user's ``--exclude``)."""

    kind: Literal["exclude"] = "exclude"
    members: tuple[str, ...] = Field(min_length=1)

    def _generated_text(self) -> str:
        return f"{', '.join(self.members)} must not be in the consortium"


Rule = Annotated[
    MemberIn | Size | MinDistinct | MinCount | MaxPerValue | Include | Exclude,
    Field(discriminator="kind"),
]
RULE_KINDS: tuple[str, ...] = (
    "member_in",
    "size",
    "min_distinct",
    "min_count",
    "max_per_value",
    "include",
    "exclude",
)


class Objective(BaseModel):
    """Weights of the objective terms (DESIGN §4). Score = sum of weight x term."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sector_links: float = 0.5
    needs_met: float = 1.0
    countries: float = 1.0
    development_mix: float = 1.0
    maturity_mix: float = 0.5
    size: float = -0.5

    @model_validator(mode="after")
    def _rewards_are_not_negative(self) -> Objective:
        # The terms other than size count good things (links, met needs, diversity); the encoder
        # relies on their weights being rewards, so a negative one is refused rather than mis-solved.
        for term in Term:
            if term is not Term.SIZE and self.weight(term) < 0:
                raise ValueError(
                    f"the weight of {term.value} must not be negative (only size may be a cost)"
                )
        return self

    def weight(self, term: Term) -> float:
        return float(getattr(self, term.value))


class Search(BaseModel):
    """Defaults for ``consortium build`` that the call itself does not set."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_size: int = Field(default=3, ge=1)
    max_size: int = Field(default=6, ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> Search:
        if self.min_size > self.max_size:
            raise ValueError(
                f"min_size ({self.min_size}) is larger than max_size ({self.max_size})"
            )
        return self


class SectorLink(BaseModel):
    """The weight of one unordered sector pair in the ``sector_links`` term."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    a: str
    b: str
    weight: float = Field(ge=0.0, le=1.0)


class Call(BaseModel):
    """A funding call: who may take part, which consortia are eligible, and what makes one good."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Annotated[str, Field(min_length=1)]
    title: str
    programme: str | None = None
    url: str | None = None
    description: str | None = None
    rules: tuple[Rule, ...] = ()
    objective: Objective = Objective()
    search: Search = Search()
    sector_links: tuple[SectorLink, ...] | None = Field(
        default=None,
        description="link weights between sectors; absent means every pair weighs 1",
    )

    @field_validator("rules", mode="after")
    @classmethod
    def _unique_rule_ids(cls, rules: tuple[Any, ...]) -> tuple[Any, ...]:
        seen: set[str] = set()
        for rule in rules:
            if rule.id in seen:
                raise ValueError(f"duplicate rule id {rule.id!r}")
            seen.add(rule.id)
        return rules

    @field_validator("sector_links", mode="after")
    @classmethod
    def _known_sectors(cls, links: tuple[SectorLink, ...] | None) -> Any:
        if links is None:
            return None
        known = reference.sectors()
        for link in links:
            for sector in (link.a, link.b):
                if sector not in known:
                    raise ValueError(f"unknown sector {sector!r} in sector_links")
        return links

    def link_weights(self) -> dict[frozenset[str], float]:
        """Weight of each unordered pair of distinct sectors; pairs absent here weigh 0."""
        ids = sorted(reference.sectors())
        if self.sector_links is None:
            return {frozenset((s, t)): 1.0 for i, s in enumerate(ids) for t in ids[i + 1 :]}
        return {
            frozenset((link.a, link.b)): link.weight
            for link in self.sector_links
            if link.a != link.b
        }

    def rule(self, rule_id: str) -> Any:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


# ---------------------------------------------------------------------------------------- loading


def _models_dir() -> Any:
    return resources.files("consortium_solver").joinpath("models")


@cache
def packaged_calls() -> dict[str, str]:
    """Packaged call models: call id -> file name."""
    out: dict[str, str] = {}
    for entry in sorted(_models_dir().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
            out[str(data.get("id", entry.name))] = entry.name
    return out


def load_call(ref: str | Path) -> Call:
    """Load a call model by packaged id (case-insensitive) or file stem, or from a TOML file path.

    Raises:
        InputError: the file is missing, not TOML, or not a valid call model; or no such id.
    """
    text_ref = str(ref)
    path = Path(text_ref)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise InputError("no such call model file", source=text_ref)
        return _load_call_file(path.read_text(encoding="utf-8"), text_ref, path.parent)
    for call_id, name in packaged_calls().items():
        if text_ref.lower() in (call_id.lower(), name.removesuffix(".toml").lower()):
            entry = _models_dir().joinpath(name)
            return _load_call_file(entry.read_text(encoding="utf-8"), f"models/{name}", None)
    known = ", ".join(packaged_calls())
    raise InputError(f"unknown call {text_ref!r} (packaged calls: {known}; or give a .toml file)")


def _load_call_file(text: str, source: str, folder: Path | None) -> Call:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", source=source) from None
    links_file = data.pop("sector_links_file", None)
    if links_file is not None:
        if folder is None:
            folder = Path(".")
        if not (folder / str(links_file)).is_file():
            raise InputError(
                "no such sector link matrix file (paths are relative to the call model)",
                source=source,
                field="sector_links_file",
                value=str(links_file),
            )
        data["sector_links"] = read_sector_links(folder / str(links_file))
    try:
        return Call.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, source) from None


def read_sector_links(path: Path) -> list[dict[str, Any]]:
    """Read a symmetric sector link matrix: a header row of sector ids, then one row per sector."""
    source = str(path)
    if not path.is_file():
        raise InputError("no such sector link matrix", source=source)
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    if not rows or len(rows[0]) < 2:
        raise InputError("empty sector link matrix", source=source)
    header = [h.strip() for h in rows[0][1:]]
    known = reference.sectors()
    for name in header:
        if name not in known:
            raise InputError("unknown sector", source=source, where="row 1", value=name)
    matrix: dict[tuple[str, str], float] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        sector = row[0].strip()
        if sector not in known:
            raise InputError("unknown sector", source=source, where=f"row {line}", value=sector)
        if len(row) - 1 != len(header):
            raise InputError(
                f"{len(row) - 1} values for {len(header)} columns",
                source=source,
                where=f"row {line}",
            )
        for col, cell in zip(header, row[1:], strict=True):
            try:
                weight = float(cell)
            except ValueError:
                raise InputError(
                    "not a number", source=source, where=f"row {line}", field=col, value=cell
                ) from None
            if not 0.0 <= weight <= 1.0:
                raise InputError(
                    "link weights lie in [0, 1]",
                    source=source,
                    where=f"row {line}",
                    field=col,
                    value=cell,
                )
            matrix[(sector, col)] = weight
    links = []
    for (s, t), w in sorted(matrix.items()):
        if s >= t:
            continue
        back = matrix.get((t, s))
        if back is not None and back != w:
            raise InputError(
                f"matrix is not symmetric: {s}/{t} = {w} but {t}/{s} = {back}", source=source
            )
        links.append({"a": s, "b": t, "weight": w})
    return links


def validation_error(exc: ValidationError, source: str) -> InputError:
    """Turn pydantic's error list into one line naming the file, the key path and the value."""
    errors = exc.errors()
    first = errors[0]
    path = format_loc(first["loc"])
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "unknown key"
    elif first["type"] == "missing":
        message = "missing key"
    elif first["type"] == "union_tag_invalid":
        kinds = ", ".join(RULE_KINDS)
        message = f"unknown rule kind {first['input'].get('kind')!r} (known: {kinds})"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    value = first.get("input") if first["type"] not in {"missing", "union_tag_invalid"} else None
    if isinstance(value, (dict, list)):
        value = None
    where = f"key {path!r}" if path else None
    return InputError(message + more, source=source, where=where, value=value)


def format_loc(loc: tuple[int | str, ...]) -> str:
    """('rules', 2, 'size', 'min') -> 'rules[2].min' (discriminator tags dropped)."""
    out = ""
    for i, part in enumerate(loc):
        if isinstance(part, int):
            out += f"[{part}]"
        elif i > 0 and isinstance(loc[i - 1], int) and part in RULE_KINDS:
            continue
        else:
            out += f".{part}" if out else str(part)
    return out
