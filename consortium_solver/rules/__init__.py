"""Rules as data: the rule vocabulary (one type per kind, one :data:`AnyRule` union), call models
with their objective weights, the TOML loader, and the :class:`Problem` the solvers share."""

from consortium_solver.rules.call import Call, Objective, Search, SectorLink, no_call
from consortium_solver.rules.kinds import (
    NAMED_LISTS,
    RULE_KINDS,
    RULE_TYPES,
    AnyRule,
    Exclude,
    Include,
    MaxPerValue,
    MemberIn,
    MinCount,
    MinDistinct,
    Rule,
    RuleHandlers,
    Size,
    named_list,
    parse_size,
    passes_filters,
    user_size,
)
from consortium_solver.rules.loading import (
    format_loc,
    load_call,
    packaged_calls,
    read_sector_links,
    validation_error,
)
from consortium_solver.rules.problem import Mode, Problem

__all__ = [
    "NAMED_LISTS",
    "RULE_KINDS",
    "RULE_TYPES",
    "AnyRule",
    "Call",
    "Exclude",
    "Include",
    "MaxPerValue",
    "MemberIn",
    "MinCount",
    "MinDistinct",
    "Mode",
    "Objective",
    "Problem",
    "Rule",
    "RuleHandlers",
    "Search",
    "SectorLink",
    "Size",
    "format_loc",
    "load_call",
    "named_list",
    "no_call",
    "packaged_calls",
    "parse_size",
    "passes_filters",
    "read_sector_links",
    "user_size",
    "validation_error",
]
