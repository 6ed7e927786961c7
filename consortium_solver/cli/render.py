"""What the commands print for people: tables of members, rules and scores, groupings, status lines."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table

from consortium_solver import reference
from consortium_solver.domain import Assessment, BuildResult, GroupingResult, Organisation, Pool
from consortium_solver.domain.results import Status
from consortium_solver.io.cells import derived_id
from consortium_solver.io.plans import for_people, reasons, role_mark, term_label
from consortium_solver.io.tables import visible_controls
from consortium_solver.reference.places import country_name
from consortium_solver.rules import Call
from consortium_solver.validate import check

if TYPE_CHECKING:  # the builder imports CP-SAT: commands that do not build never load it
    from consortium_solver.builder import Demands


def assessment_json(assessment: Assessment) -> str:
    """The check document: verdicts, score, the breakdown in points, and each term's value and weight."""
    data = assessment.model_dump(mode="json")
    data["breakdown"] = assessment.breakdown
    return json.dumps(data, indent=2, ensure_ascii=False)


def plain(value: object) -> str:
    """Text from a pool or a call model, for a line or cell that rich reads as markup: its brackets
    escaped (a name like ``[/bold]`` once crashed the display, ``[link=...]`` changed one) and
    control characters shown as ``\\x1b`` escapes instead of reaching the terminal."""
    return escape(visible_controls(str(value)))


# Below this many columns, members are listed one to a block instead of a table of seven columns
# (at 80 columns the table cut names into 9-letter pieces).
WIDE = 120


def members_table(pool: Pool, member_ids: Sequence[str], title: str, width: int = WIDE) -> Table:
    """The members: a table of their fields on a wide terminal, else one block each — the name
    whole with its id, then its country, region, category, sectors in words and maturity."""
    table = Table(title=title, title_justify="left")
    if width < WIDE:
        table.add_column("member", overflow="fold")
        for member_id in member_ids:
            org = pool.by_id[member_id]
            region = f"{org.nuts2} {org.region_name}" if org.nuts2 else "no NUTS-2 region"
            facts = " · ".join(
                [
                    plain(country_name(org.country)),
                    plain(region),
                    f"{org.region_category.value.replace('_', ' ')} region{_period(org)}",
                    plain(", ".join(sector_words(org.sectors))),
                    maturity_words(org.maturity.value),
                    *entity_words(pool, org),
                ]
            )
            name = f"[bold]{plain(org.name)}[/] ({plain(org.id)})"
            table.add_row(Group(name, Padding(facts, (0, 0, 0, 2))))
        return table
    for column in ("id", "name", "country", "NUTS-2 region", "category", "sectors", "maturity"):
        table.add_column(column, overflow="fold")
    for member_id in member_ids:
        org = pool.by_id[member_id]
        region = f"{org.nuts2} {org.region_name}" if org.nuts2 else "—"
        entity = " · ".join(entity_words(pool, org))
        table.add_row(
            plain(org.id),
            plain(org.name) + (f"\n{entity}" if entity else ""),
            plain(country_name(org.country)),
            plain(region),
            org.region_category.value.replace("_", " ") + _period(org),
            plain(", ".join(sector_words(org.sectors))),
            maturity_words(org.maturity.value),
        )
    return table


def _period(org: Organisation) -> str:
    """ " (2014-2020)" beside the region category when a 2021-2027 one is shown too."""
    return " (2014-2020)" if org.region_category_2021 is not None else ""


def entity_words(pool: Pool, org: Organisation) -> list[str]:
    """What today's calls read of an organisation, where stated: its 2021-2027 region category,
    an outermost region, non-profit, public body, SME, and who controls it (by name)."""
    words = []
    if org.region_category_2021 is not None:
        words.append(f"{org.region_category_2021.value.replace('_', ' ')} region (2021-2027)")
    if org.outermost:
        words.append("outermost region")
    for flag, text in (
        ("non_profit", "non-profit"),
        ("public_body", "public body"),
        ("sme", "SME"),
    ):
        value = getattr(org, flag)
        if value is not None:
            words.append(text if value else f"not {text}")
    if org.controlled_by is not None:
        controller = pool.by_id.get(org.controlled_by)
        words.append(f"controlled by {plain(controller.name if controller else org.controlled_by)}")
    return words


def maturity_words(maturity: str) -> str:
    """A cluster-management label in words: "Gold label", "no label"."""
    return "no label" if maturity == "none" else f"{maturity.capitalize()} label"


def status_line(status: Status) -> str:
    """A result's status in words, coloured: green when proven, yellow when found."""
    colour = {"optimal": "green", "feasible": "yellow"}.get(status.value, "red")
    return f"[bold {colour}]{status.words}[/]"


def sector_words(sectors: Sequence[str]) -> list[str]:
    """Sector ids as their names ("renewable-energy" → "Renewable energy"), unknown ones as given."""
    known = reference.sectors()
    return [known[s].name if s in known else s for s in sectors]


def score_table(assessment: Assessment) -> Table:
    table = Table(title="Score", title_justify="left")
    table.add_column("term")
    table.add_column("value", justify="right")
    table.add_column("weight", justify="right")
    table.add_column("points", justify="right")
    for term, ts in assessment.terms.items():
        table.add_row(term_label(term.value), f"{ts.value:g}", f"{ts.weight:g}", f"{ts.points:g}")
    table.add_section()
    table.add_row("total", "", "", f"{assessment.score:g}", style="bold")
    return table


def render_assessment(console: Console, pool: Pool, call: Call, assessment: Assessment) -> None:
    console.print(
        members_table(
            pool,
            assessment.members,
            f"{plain(call.id)} · pool {plain(pool.name)} · members",
            console.width,
        )
    )
    rules = Table(title="Rules", title_justify="left")
    rules.add_column("", width=1)
    rules.add_column("rule")
    rules.add_column("requires", overflow="fold")
    rules.add_column("found", overflow="fold")
    texts = {rule.id: rule.describe() for rule in call.rules}
    for verdict in assessment.verdicts:
        mark = "[green]✓[/]" if verdict.passed else "[red]✗[/]"
        rules.add_row(
            mark,
            plain(verdict.rule),
            plain(texts.get(verdict.rule, "")),
            plain(for_people(pool, verdict.why)),
        )
    console.print(rules)
    console.print(score_table(assessment))
    if assessment.eligible:
        console.print("[bold green]eligible[/]")
    else:
        failed = plain(", ".join(v.rule for v in assessment.failed))
        console.print(f"[bold red]not eligible[/]: fails {failed}")


def render_result(
    console: Console, pool: Pool, call: Call, result: BuildResult, demands: Demands
) -> None:
    extra = demands.rules(call)
    for rank, consortium in enumerate(result.consortia, start=1):
        assessment = check(pool, call, consortium.members, extra_rules=extra)
        title = f"{rank}. {plain(call.id)} · pool {plain(pool.name)} · score {consortium.score:g}"
        console.print(members_table(pool, consortium.members, title, console.width))
        console.print(score_table(assessment))
    line = status_line(result.status) + (
        " · [bold red]interrupted[/]" if result.interrupted else ""
    )
    if result.objective is not None and result.bound is not None:
        gap = abs(result.bound - result.objective) / max(1.0, abs(result.objective))
        line += f" · score {result.objective:g} · bound {result.bound:g} · gap {gap:.1%}"
    line += f" · {result.wall_time_s:g} s · seed {result.seed} · {result.workers} workers"
    console.print(line)
    if result.conflict:
        console.print("[bold red]No consortium meets all the rules.[/] These conflict:")
        for conflict in result.conflict:
            console.print(f"  ✗ [bold]{plain(conflict.rule)}[/]: {plain(conflict.why)}")
    elif not result.consortia and not result.interrupted:
        console.print("No consortium found within the time limit (try a longer --time-limit).")


def member_line(pool: Pool, org_id: str) -> str:
    """ "Name (id) · Germany" — the id in brackets only when it is not simply the name."""
    org = pool.by_id[org_id]
    shown = plain(org.name)
    if org.id not in (org.name, derived_id(org.name, set())):
        shown += f" ({plain(org.id)})"
    return f"{shown} · {plain(country_name(org.country))}"


def render_grouping(console: Console, pool: Pool, result: GroupingResult) -> None:
    """Each round as a table of groups (members by name, one per line, wrapped at spaces), the
    organisations set aside and why, and the verdict; when no group can be formed, the rules that
    stop it."""
    rounds = result.schedule() or [()]
    for r, groups in enumerate(rounds, start=1):
        if not groups:
            continue
        table = Table(title=f"Round {r}" if len(rounds) > 1 else "Groups", title_justify="left")
        table.add_column("group", justify="right")
        table.add_column("score", justify="right")
        table.add_column("members")
        for g, grp in enumerate(groups, start=1):
            names = "\n".join(
                member_line(pool, m) + role_mark(m, grp, result.hosts)
                for m in (*grp.members, *grp.guests)
            )
            table.add_row(plain(grp.table) if grp.table else str(g), f"{grp.score:g}", names)
        console.print(table)
    why = reasons(result, pool)
    if why and any(groups for groups in rounds):
        console.print("[bold]Not placed[/]")
        for org_id, reason in why.items():
            console.print(f"  · {member_line(pool, org_id)}: {plain(reason)}")
    n_groups = sum(len(g) for g in rounds)
    stopped = " · [bold red]interrupted[/]" if result.interrupted else ""
    line = f"{status_line(result.status)}{stopped} · {n_groups} groups · {len(why)} not placed"
    if result.objective is not None:
        line += f" · objective {result.objective:g}"
    console.print(line + f" · {result.wall_time_s:g} s · seed {result.seed}")
    for measure in result.balance:
        mark = "✓" if measure.numeric or not measure.off else "~"
        console.print(f"  {mark} balance · {plain(measure.words())}")
    if result.conflict:
        console.print("[bold red]No group can meet all the rules.[/] These conflict:")
        for conflict in result.conflict:
            console.print(f"  ✗ [bold]{plain(conflict.rule)}[/]: {plain(conflict.why)}")
    elif result.note:
        console.print(f"[bold red]{plain(result.note)}[/]")
    for a, b in result.repeated_pairs[:10]:
        console.print(f"  ↺ {member_line(pool, a)} and {member_line(pool, b)} meet twice")
    if len(result.repeated_pairs) > 10:
        console.print(f"  … and {len(result.repeated_pairs) - 10} more pairs (the JSON lists them)")
