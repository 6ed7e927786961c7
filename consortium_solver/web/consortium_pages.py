"""The consortium tasks: a consortium the organiser has in mind, checked rule by rule at once, and
the pages of a "best consortium for a lead" run (the builder's answer, each judged again)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from consortium_solver.domain import Assessment, BuildResult, Pool
from consortium_solver.io.plans import TERM_WORDS, for_people, member_cells, term_label
from consortium_solver.rules import AnyRule, Call
from consortium_solver.validate import check
from consortium_solver.web.context import ctx, page, path_id, posted_form, refused, stale
from consortium_solver.web.pages import CALLS, pool_of, read_day
from consortium_solver.web.tasks import ConsortiumRun
from consortium_solver.web.views import Member, call_of

MAX_MEMBERS = 60  # a consortium to check: more is not a consortium


@dataclass
class Judged:
    """A consortium with the validator's verdicts, in words."""

    members: list[Member]
    assessment: Assessment
    points: list[tuple[str, float, str]]  # term, points, what it counts
    verdicts: list[tuple[bool, str, str]]  # each rule: held, the rule in words, why in words


def judged(pool: Pool, call: Call, members: list[str], extra: Sequence[AnyRule] = ()) -> Judged:
    """``members`` judged by the validator under the call's rules and ``extra`` ones."""
    assessment = check(pool, call, members, extra_rules=extra)
    people = []
    for m in members:
        name, country, region, category, kind, sectors = member_cells(pool.by_id[m])
        facts = " · ".join(x for x in (country, region, category, kind) if x)
        people.append(Member(m, name, facts, sectors))
    points = [
        (term_label(t.value), s.points, TERM_WORDS.get(t.value, ""))
        for t, s in assessment.terms.items()
    ]
    said = {rule.id: rule.describe() for rule in [*call.rules, *extra]}
    verdicts = [
        (v.passed, _sentence(said.get(v.rule, v.rule)), for_people(pool, v.why))
        for v in assessment.verdicts
    ]
    return Judged(people, assessment, points, verdicts)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


async def check_consortium(request: Request) -> Response:
    """``member`` checkboxes and a rule set: the consortium judged by the validator."""
    context = ctx(request)
    pid = path_id(request, "pid")
    project = context.store.project(pid) if pid is not None else None
    if project is None:
        return refused(request, 404, "There is no such event.")
    form = await posted_form(request, MAX_MEMBERS + 8)
    if form is None:
        return stale(request)
    usable = context.store.usable_pool(project.id)
    if usable is None or usable.pool_json is None:
        return refused(request, 400, "Upload a sheet without errors first.")
    pool = pool_of(usable.pool_json)
    members = list(dict.fromkeys(str(v) for v in form.getlist("member")))
    call_id = str(form.get("call", ""))
    if call_id not in CALLS:
        return refused(request, 400, "Choose one of the listed rule sets.")
    problems: list[str] = []
    day = read_day(str(form.get("date", "")), problems)
    if problems:
        return refused(request, 400, problems[0])
    if not 1 <= len(members) <= MAX_MEMBERS or any(m not in pool.by_id for m in members):
        return refused(
            request, 400, f"Tick between 1 and {MAX_MEMBERS} organisations of the sheet."
        )
    result = judged(pool, call_of(call_id, day), members)
    return page(request, "check.html", project=project, judged=result, calls=CALLS, call=call_id)


def consortium_values(run_json: str, pool: Pool, spec: ConsortiumRun) -> dict[str, Any]:
    """What a finished "best consortium" run page shows: every consortium judged again."""
    result = BuildResult.model_validate_json(run_json)
    call = call_of(spec.call, spec.date)
    demands = spec.demands.rules(call)
    found = [judged(pool, call, list(c.members), demands) for c in result.consortia]
    return {"build": result, "found": found}
