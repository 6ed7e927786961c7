"""A grouping as organisers use it on the day: a workbook to print and mail-merge from, and a page
to open in a browser — names before ids, words before codes, numbers stored as numbers, and every
column the participant sheet carried (contacts, e-mails, notes).

The workbook: an overview (one row per organisation, where it sits in each round), one sheet per
round (a block per group, page breaks between blocks so that no group is split over two pages),
"Not placed" (with the reason in words), the groups' scores, and the run. The page: navigation by
round, group cards, a search box that shows an organisation's tables, the score terms explained.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Sequence
from typing import Any

from consortium_solver.domain import Consortium, GroupingResult, Organisation, Pool, Term
from consortium_solver.io import vocabulary as vocab
from consortium_solver.io.tables import as_number, visible_controls
from consortium_solver.reference.places import country_name

# What each score term counts, in one line (README, "Score").
TERM_WORDS: dict[str, str] = {
    Term.SECTOR_LINKS.value: "pairs of different sectors brought by two different members",
    Term.NEEDS_MET.value: "needs of a member that another member offers",
    Term.COUNTRIES.value: "countries in the group",
    Term.DEVELOPMENT_MIX.value: "region categories (less developed, transition, more developed)",
    Term.MATURITY_MIX.value: "different cluster-management labels",
    Term.SIZE.value: "a cost per member (keeps groups from growing without reason)",
}
MEMBER_HEADERS = ("Organisation", "Country", "Region", "Region category", "Type", "Sectors")
# Rows a printed landscape page holds, for the page breaks between group blocks.
ROWS_PER_PAGE = 38


def counted(n: int, noun: str) -> str:
    """ "1 round", "3 rounds" (a noun that takes an s)."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def term_label(term: str) -> str:
    return term.replace("_", " ").capitalize()


def member_cells(org: Organisation) -> list[str]:
    """An organisation in words: name, country, region, region category, type, sectors."""
    region = f"{org.region_name} ({org.nuts2})" if org.nuts2 and org.region_name else ""
    return [
        org.name,
        country_name(org.country),
        region,
        vocab.words_for("region_category", org.region_category.value),
        vocab.words_for("organisation_type", org.organisation_type.value),
        ", ".join(vocab.words_for("sectors", s) for s in org.sectors),
    ]


# Stored codes a validator sentence may carry ("less_developed"), as a person says them.
_CODE_WORDS = {
    code: words.lower()
    for field in ("organisation_type", "region_category")
    for code, words in vocab.VALUE_WORDS[field].items()
    if "_" in code
}
_TOKEN = re.compile(r"[\w.-]+")


def for_people(pool: Pool, text: str) -> str:
    """A validator's sentence as people read it: an organisation's id standing alone becomes its
    name, a stored code its words ("demo-002 (less_developed)" → "Norte Cluster (less developed)").
    The result documents keep the sentence as the validator wrote it."""

    def said(token: re.Match[str]) -> str:
        word = token.group(0)
        bare = word.rstrip(".")
        org = pool.by_id.get(bare)
        if org is not None:
            return org.name + word[len(bare) :]
        return _CODE_WORDS.get(word, word)

    return _TOKEN.sub(said, text)


def detail_keys(pool: Pool) -> list[str]:
    """The extra columns of the participant sheet, in their first order."""
    return list(dict.fromkeys(k for org in pool.organisations for k in org.details))


def reasons(result: GroupingResult, pool: Pool) -> dict[str, str]:
    """Why each organisation outside every group is there, in words."""
    why = {
        i.id: i.why
        if i.why.startswith(("attends", "does not attend"))
        else f"not eligible: {i.why}"
        for i in result.ineligible
    }
    placed = {m for groups in result.schedule() for g in groups for m in (*g.members, *g.guests)}
    default = "no place left in a group that meets every rule"
    if result.note and result.note.startswith("too few seats"):
        default = "no seat left at the tables (too few seats for everyone who attends)"
    if result.note and not result.schedule():
        default = result.note  # no group at all: the reason is the run's
    return {o.id: why.get(o.id, default) for o in pool.organisations if o.id not in placed}


def seats(result: GroupingResult) -> dict[str, list[int | str | None]]:
    """Organisation id -> its group in each round: the table's name where the event lists its
    tables, else the group's number (None where it has none)."""
    rounds = result.schedule()
    out: dict[str, list[int | str | None]] = {}
    for r, groups in enumerate(rounds):
        for g, grp in enumerate(groups, start=1):
            for member in (*grp.members, *grp.guests):
                out.setdefault(member, [None] * len(rounds))[r] = grp.table or g
    return out


# ------------------------------------------------------------------------------------ workbook


def _write(sheet: Any, row: int, values: Sequence[object], bold: bool = False) -> None:
    from openpyxl.styles import Font

    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            cell.value = value
        elif value is not None and value != "":
            cell.value = visible_controls(str(value))
            cell.data_type = "s"  # text stays text: never a formula
        if bold:
            cell.font = Font(bold=True)


def _page_setup(sheet: Any, widths: Sequence[int]) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    for k, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(k)].width = width


def grouping_workbook(result: GroupingResult, pool: Pool) -> bytes:
    """The day's workbook (see the module's docstring)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    rounds = result.schedule()
    extra = detail_keys(pool)
    why = reasons(result, pool)
    _overview(workbook.active, result, pool, extra, why)
    for r, groups in enumerate(rounds, start=1):
        title = f"Round {r}" if len(rounds) > 1 else "Groups"
        _round_sheet(workbook.create_sheet(title), title, groups, pool, extra, result.hosts)

    if len(rounds) > 1:
        _per_table(workbook.create_sheet("Per table"), result, pool)

    left = workbook.create_sheet("Not placed")
    _write(left, 1, ["Organisation", "ID", "Country", "Reason"], True)
    for row, (org_id, reason) in enumerate(why.items(), start=2):
        org = pool.by_id[org_id]
        _write(
            left,
            row,
            [org.name, org.id, country_name(org.country), reason],
        )
    if not why:
        _write(left, 2, ["Everyone has a place in every round."])
    _page_setup(left, [38, 20, 16, 80])

    scores = workbook.create_sheet("Scores")
    terms = [t.value for t in Term]
    _write(scores, 1, ["Round", "Group", "Members", "Score", *map(term_label, terms)], True)
    row = 2
    for r, groups in enumerate(rounds, start=1):
        for g, grp in enumerate(groups, start=1):
            _write(
                scores,
                row,
                [r, g, len(grp.members), grp.score, *(grp.breakdown.get(t, 0.0) for t in terms)],
            )
            row += 1
    for k, term in enumerate(terms):
        _write(scores, row + 1 + k, [term_label(term), TERM_WORDS[term]])
    _page_setup(scores, [16, 8, 9, 9, *([14] * len(terms))])

    run = workbook.create_sheet("Run")
    facts = [
        ("Call", result.call),
        ("Pool", result.pool),
        ("Status", result.status.words),
        ("Objective", result.objective),
        ("Rounds", len(rounds)),
        ("Seed", result.seed),
        ("Seconds", result.wall_time_s),
        ("Note", result.note or ""),
        ("Verdict", result.verdict()),
        *(("Problem", problem) for problem in result.problems),
        *(("Balance", measure.words()) for measure in result.balance),
    ]
    for k, (key, value) in enumerate(facts, start=1):
        _write(run, k, [key, value])
    _page_setup(run, [12, 60])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _overview(
    sheet: Any, result: GroupingResult, pool: Pool, extra: list[str], why: dict[str, str]
) -> None:
    """One row per organisation, by name: who it is, its contacts, its group in each round."""
    sheet.title = "Overview"
    rounds = result.schedule()
    where = seats(result)
    titles = [f"Round {r}" if len(rounds) > 1 else "Group" for r in range(1, len(rounds) + 1)]
    # With attendance, the rounds each one attends (a round's cell is empty where it is absent).
    attendance = any(o.rounds is not None for o in pool.organisations)
    attended = ["Rounds attended"] if attendance else []
    _write(
        sheet, 1, [*MEMBER_HEADERS, "ID", *extra, *attended, *titles, "Not placed because"], True
    )
    for row, org in enumerate(sorted(pool.organisations, key=lambda o: o.name.casefold()), start=2):
        groups = where.get(org.id, [None] * len(rounds))
        details = [as_number(org.details.get(k, "")) for k in extra]
        shown = [rounds_words(org.rounds)] if attendance else []
        _write(
            sheet,
            row,
            [*member_cells(org), org.id, *details, *shown, *groups, why.get(org.id, "")],
        )
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    widths = [38, 14, 24, 15, 18, 36, 20, *([22] * len(extra)), *([14] * len(attended))]
    _page_setup(sheet, [*widths, *([9] * len(rounds)), 40])


def tables_of(groups: Sequence[Consortium], hosts: Sequence[str]) -> dict[int | str, Consortium]:
    """A round's groups by table: its table's name where the event lists tables, the table of its
    host where there are hosts (a table stays its host's when another host is away), else its
    place in the round."""
    if any(grp.table for grp in groups):
        return {grp.table or str(k): grp for k, grp in enumerate(groups)}
    if not hosts:
        return dict(enumerate(groups))
    order = {h: k for k, h in enumerate(hosts)}
    out: dict[int | str, Consortium] = {}
    for k, grp in enumerate(groups):
        held = [order[m] for m in grp.members if m in order]
        out[held[0] if held else len(hosts) + k] = grp
    return out


def _per_table(sheet: Any, result: GroupingResult, pool: Pool) -> None:
    """Table cards to print, one a page: for each table (group number), who sits there in each
    round — the host first where there are hosts, guests marked."""
    from openpyxl.worksheet.pagebreak import Break

    rounds = [tables_of(groups, result.hosts) for groups in result.schedule()]
    keys = list(dict.fromkeys(k for groups in rounds for k in groups))
    keys.sort(key=lambda k: (isinstance(k, str), k if isinstance(k, int) else 0))  # named: as laid
    row = 1
    for t in keys:
        title = t if isinstance(t, str) else f"Table {t + 1}"
        if isinstance(t, int) and t < len(result.hosts):
            title += f" · host {pool.by_id[result.hosts[t]].name}"
        _write(sheet, row, [title], True)
        row += 1
        for r, groups in enumerate(rounds, start=1):
            if t not in groups:
                continue  # the table is closed this round (its host is away)
            grp = groups[t]
            people = [pool.by_id[m].name + role_mark(m, grp, result.hosts)
                      for m in (*grp.members, *grp.guests)]  # fmt: skip
            _write(sheet, row, [f"Round {r}", f"{len(people)} at the table"], True)
            for k, person in enumerate(people, start=1):
                _write(sheet, row + k, ["", person])
            row += len(people) + 1
        sheet.row_breaks.append(Break(id=row))
        row += 1
    _page_setup(sheet, [14, 48])


def rounds_words(rounds: Sequence[int] | None) -> str:
    """ "all", "1, 3", "none": the rounds an organisation attends, as the sheet may write them."""
    if rounds is None:
        return "all"
    return ", ".join(map(str, rounds)) if rounds else "none"


def role_mark(member: str, grp: Consortium, hosts: Sequence[str]) -> str:
    """ " (guest)" or " (host)" after a name, else nothing."""
    if member in grp.guests:
        return " (guest)"
    return " (host)" if member in hosts else ""


def _round_sheet(
    sheet: Any,
    title: str,
    groups: Sequence[Consortium],
    pool: Pool,
    extra: list[str],
    hosts: Sequence[str] = (),
) -> None:
    """One round: for each group a title row, a header row and its members; a page break before a
    block that would not fit on the page."""
    from openpyxl.worksheet.pagebreak import Break

    headers = [*MEMBER_HEADERS, *extra]
    row, page_start = 1, 1
    _write(sheet, row, [title], True)
    row += 2
    for g, grp in enumerate(groups, start=1):
        height = len(grp.members) + len(grp.guests) + 3
        if row - page_start + height > ROWS_PER_PAGE and row > page_start + 2:
            sheet.row_breaks.append(Break(id=row - 1))
            page_start = row
        size = f"{len(grp.members)} members" + (f", {len(grp.guests)} guests" if grp.guests else "")
        _write(sheet, row, [f"Group {g}", size, "score", grp.score], True)
        _write(sheet, row + 1, headers, True)
        for k, member in enumerate((*grp.members, *grp.guests)):
            org = pool.by_id[member]
            cells = member_cells(org)
            cells[0] += role_mark(member, grp, hosts)
            _write(
                sheet,
                row + 2 + k,
                [*cells, *(as_number(org.details.get(x, "")) for x in extra)],
            )
        row += height
    sheet.print_title_rows = "1:1"
    _page_setup(sheet, [38, 14, 24, 15, 18, 36, *([22] * len(extra))])


# ---------------------------------------------------------------------------------------- page

_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:1.5rem 2rem;color:#222}"
    "nav{position:sticky;top:0;background:#fff;padding:.5rem 0;border-bottom:1px solid #ddd;"
    "display:flex;gap:1rem;align-items:center;flex-wrap:wrap}nav a{color:#2456a4}"
    "input[type=search]{font-size:1rem;padding:.3rem .5rem;min-width:16rem}"
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(21rem,1fr));gap:1rem}"
    ".card{border:1px solid #ccc;border-radius:.5rem;padding:.8rem;break-inside:avoid}"
    ".card h3{margin:.1rem 0 .5rem;font-size:1.05rem}.card ul{padding-left:1.1rem;margin:.3rem 0}"
    ".card li{margin-bottom:.35rem}.muted{color:#555;font-size:.85rem}"
    ".hit{outline:3px solid #f0b400}.hidden{display:none}"
    "table{border-collapse:collapse;font-size:.85rem}td,th{padding:.15rem .5rem;text-align:left}"
    "#where{white-space:pre-line;font-weight:600;margin:.4rem 0}"
    "@media print{nav{display:none}#where{display:none}.cards{display:block}.card{margin-bottom:.6rem}"
    "section{break-before:page}}"
)
# The search box: shows the cards holding the text typed, highlights the matching members.
_SCRIPT = (
    "const box=document.getElementById('find');"
    "box.addEventListener('input',()=>{const q=box.value.trim().toLowerCase();"
    "document.querySelectorAll('.card').forEach(card=>{let any=false;"
    "card.querySelectorAll('li').forEach(li=>{const m=q&&li.dataset.find.includes(q);"
    "li.classList.toggle('hit',!!m);any=any||m;});"
    "card.classList.toggle('hidden',!!q&&!any);});"
    "const hits=[...document.querySelectorAll('li.hit')];"
    "document.getElementById('count').textContent=q?hits.length+' seat(s) found':'';"
    # Where each one found sits, round by round: "Org A — Round 1: Group 3 · Round 2: Group 1".
    "const seats=new Map();hits.forEach(li=>{const who=li.querySelector('b').textContent;"
    "const sec=li.closest('section');const round=sec?sec.querySelector('h2').textContent:'';"
    "const table=li.closest('.card').querySelector('h3').textContent.split(' · ')[0];"
    "if(!seats.has(who))seats.set(who,[]);seats.get(who).push(round+': '+table);});"
    "document.getElementById('where').textContent=[...seats].slice(0,8)"
    ".map(([who,at])=>who+' — '+at.join(' · ')).join('\\n');});"
)


def grouping_page(result: GroupingResult, pool: Pool) -> str:
    """The day's page (see the module's docstring). Every value is escaped."""
    e = html.escape
    rounds = result.schedule()
    extra = detail_keys(pool)
    names = [f"Round {r}" if len(rounds) > 1 else "Groups" for r in range(1, len(rounds) + 1)]
    why = reasons(result, pool)
    links = "".join(f"<a href='#round-{r}'>{e(n)}</a>" for r, n in enumerate(names, start=1))
    if why:
        links += "<a href='#not-placed'>Not placed</a>"
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>Groups · {e(result.pool)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>Groups · {e(result.pool)}</h1>",
        f"<p>Rules of <b>{e(result.call)}</b> · {len(pool)} organisations · "
        f"{counted(len(rounds), 'round')} · <b>{e(result.status.words)}</b></p>",
        "<nav aria-label='rounds'>" + links + "<label>Find an organisation "
        "<input type='search' id='find' placeholder='name, country, contact…'></label>"
        "<span id='count' class='muted' aria-live='polite'></span></nav>",
        "<p id='where' aria-live='polite'></p>",
    ]
    if result.note:
        parts.append(f"<p><b>{e(result.note)}</b></p>")
    items = "".join(f"<li>{e(p)}</li>" for p in result.problems)
    mark = "✗" if result.problems else "✓"
    parts.append(f"<p class='verdict'><b>{mark} {e(result.verdict())}</b></p><ul>{items}</ul>")
    if result.balance:
        items = "".join(f"<li>{e(m.words())}</li>" for m in result.balance)
        parts.append(f"<ul class='balance'>{items}</ul>")
    for r, groups in enumerate(rounds, start=1):
        parts.append(f"<section id='round-{r}'><h2>{e(names[r - 1])}</h2><div class='cards'>")
        parts += [_card(g, grp, pool, extra, result.hosts) for g, grp in enumerate(groups, start=1)]
        parts.append("</div></section>")
    if why:
        parts.append("<section id='not-placed'><h2>Not placed</h2><ul>")
        for org_id, reason in why.items():
            org = pool.by_id[org_id]
            parts.append(
                f"<li>{e(org.name)} <span class='muted'>({e(org.id)}) — {e(reason)}</span></li>"
            )
        parts.append("</ul></section>")
    terms = "".join(
        f"<tr><th>{e(term_label(t))}</th><td>{e(words)}</td></tr>"
        for t, words in TERM_WORDS.items()
    )
    parts.append(f"<h2>What the score counts</h2><table>{terms}</table>")
    parts.append(
        f"<p class='muted'>Made by consortium-solver in {result.wall_time_s:.3g} s with seed"
        f" {result.seed} (the same sheet, options and seed with --deterministic give the same"
        " groups).</p>"
    )
    parts.append(f"<script>{_SCRIPT}</script></body></html>")
    return "\n".join(parts)


def _card(
    number: int, grp: Consortium, pool: Pool, extra: list[str], hosts: Sequence[str] = ()
) -> str:
    e = html.escape
    items = []
    for member in (*grp.members, *grp.guests):
        org = pool.by_id[member]
        name, country, region, category, kind, sectors = member_cells(org)
        name += role_mark(member, grp, hosts)
        facts = " · ".join(x for x in (country, region, category, kind) if x)
        details = " · ".join(org.details[k] for k in extra if org.details.get(k))
        searchable = " ".join([org.name, org.id, country, region, details]).casefold()
        items.append(
            f"<li data-find='{e(searchable)}'><b>{e(name)}</b><br><span class='muted'>{e(facts)}"
            f"<br>{e(sectors)}{'<br>' + e(details) if details else ''}</span></li>"
        )
    points = ", ".join(f"{term_label(t)} {v:g}" for t, v in grp.breakdown.items() if v)
    return (
        f"<div class='card'><h3>{e(grp.table or f'Group {number}')} · score {grp.score:g}</h3><ul>{''.join(items)}</ul>"
        f"<p class='muted'>{e(points)}</p></div>"
    )
