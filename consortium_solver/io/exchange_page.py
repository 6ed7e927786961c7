"""A ClusterXchange programme as a page to open in a browser: the programme in figures, a map of who
travels where (visitors' and hosts' places joined by lines, one colour per partnership, on the
packaged NUTS-2 outlines), a table per partnership with its budget, the hosts and their visitors,
and the visitors left without a host. Every value is escaped; the page needs no network."""

from __future__ import annotations

import html
from collections import defaultdict

from consortium_solver import reference
from consortium_solver.domain import ExchangeResult
from consortium_solver.domain.exchanges import ExchangePool, Participant
from consortium_solver.io.exchange_kpis import KPI_HEADERS, fit_words, partnership_kpis
from consortium_solver.io.maps import PALETTE, Journey, Place, in_core, svg_map
from consortium_solver.reference.places import country_name, region_label
from consortium_solver.rules.scheme import Scheme

_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:1.5rem 2rem;color:#222}"
    "table{border-collapse:collapse;font-size:.9rem;margin:.4rem 0 1.2rem}"
    "th,td{padding:.2rem .6rem;border-bottom:1px solid #e3e3e3;text-align:left}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#555}"
    ".key{display:inline-block;width:.8rem;height:.8rem;border-radius:50%;margin-right:.3rem}"
    "@media print{section{break-inside:avoid}}"
)


def _each(
    result: ExchangeResult, pool: ExchangePool, colour: dict[str, str]
) -> tuple[list[Journey], dict[str, Place]]:
    """A line per exchange and a dot per participant (a small programme)."""
    by_id = pool.by_id
    journeys = [
        Journey(
            by_id[x.visitor].point,
            by_id[x.host].point,
            f"{_who(by_id[x.visitor])} → {_who(by_id[x.host])}, {x.distance_km:,.1f} km",
            colour[x.partnership],
            group=x.partnership,
        )
        for x in result.exchanges
    ]
    places: dict[str, Place] = {}
    for x in result.exchanges:
        visitor, host = by_id[x.visitor], by_id[x.host]
        places[visitor.id] = Place(
            visitor.point, "visitor: " + _who(visitor), colour[x.partnership], group=x.partnership
        )
        places.setdefault(
            f"{host.id}@{x.partnership}",
            Place(host.point, "host: " + _who(host), "#333", group=x.partnership),
        )
    return journeys, places


def _aggregated(
    result: ExchangeResult, pool: ExchangePool, colour: dict[str, str]
) -> tuple[list[Journey], dict[str, Place]]:
    """A line per pair of regions and partnership, as wide as its exchanges, and a dot per region,
    role and partnership marked with how many it stands for (a large programme)."""
    by_id = pool.by_id
    lines: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    dots: dict[tuple[str, str, str], list[Participant]] = defaultdict(list)
    where: dict[str, tuple[float, float]] = {}
    for x in result.exchanges:
        visitor, host = by_id[x.visitor], by_id[x.host]
        a, b = _region(visitor, where), _region(host, where)
        lines[(a, b, x.partnership)].append(f"{visitor.name} → {host.name}")
        dots[(a, "visitor", x.partnership)].append(visitor)
        dots[(b, "host", x.partnership)].append(host)
    journeys = _overview(result, pool) + [
        Journey(
            where[a],
            where[b],
            f"{_region_name(a)} → {_region_name(b)}: {len(names)} exchange"
            f"{'s' if len(names) > 1 else ''} ({'; '.join(names[:4])}"
            f"{'; …' if len(names) > 4 else ''})",
            colour[pid],
            width=min(1.2 + 0.9 * (len(names) - 1), 9.0),
            group=pid,
        )
        for (a, b, pid), names in lines.items()
    ]
    places = {
        f"{r}|{role}|{pid}": Place(
            where[r],
            f"{role}s in {_region_name(r)}: "
            + "; ".join(p.name for p in people[:5])
            + (f" and {len(people) - 5} more" if len(people) > 5 else ""),
            colour[pid] if role == "visitor" else "#333333",
            mark=str(len(people)) if len(people) > 1 else "",
            group=pid,
        )
        for (r, role, pid), people in dots.items()
    }
    return journeys, places


def _overview(result: ExchangeResult, pool: ExchangePool) -> list[Journey]:
    """The overview of a large programme: one grey line per pair of countries (from the mean point
    of its participants in each), as wide as its exchanges (the partnerships' own lines and dots
    show when one is chosen)."""
    by_id = pool.by_id
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    for x in result.exchanges:
        visitor, host = by_id[x.visitor], by_id[x.host]
        points[visitor.country].append(visitor.point)
        points[host.country].append(host.point)
        pairs[(visitor.country, host.country)] += 1
    centre = {
        c: (sum(p[0] for p in ps) / len(ps), sum(p[1] for p in ps) / len(ps))
        for c, ps in points.items()
    }
    return [
        Journey(
            centre[a],
            centre[b],
            f"{country_name(a)} → {country_name(b)}: {n} exchange{'s' if n > 1 else ''}",
            "#555555",
            width=min(1.0 + 0.5 * (n - 1), 10.0),
            group=ALL,
        )
        for (a, b), n in sorted(pairs.items())
    ]


def _region(p: Participant, where: dict[str, tuple[float, float]]) -> str:
    """The key a participant's place is drawn by: its NUTS-2 region, else its own point."""
    key = p.nuts2 or f"{p.point[0]:.2f},{p.point[1]:.2f}"
    where.setdefault(key, reference.region_points().get(key, p.point) if p.nuts2 else p.point)
    return key


def _region_name(key: str) -> str:
    return region_label(key) if key in reference.region_points() else key


def _who(p: Participant) -> str:
    return f"{p.name} ({country_name(p.country)})"


# Above this many exchanges the map draws one line per pair of regions and partnership, its width
# the number of exchanges, and one dot per region, role and partnership (1,700 lines were unreadable).
AGGREGATE_ABOVE = 60
# The page's one script: the map's view of one partnership (every line and dot of another hidden).
# Elements of group ALL are the overview (every partnership at once); the others a partnership's.
ALL = "*all"
_VIEW_SCRIPT = (
    "const v=document.getElementById('view');function show(){"
    "const all=[...document.querySelectorAll('svg [data-group]')];"
    "const overview=all.some(el=>el.dataset.group==='" + ALL + "');"
    "all.forEach(el=>{const g=el.dataset.group;el.style.display=(v.value?g===v.value:"
    "(overview?g==='" + ALL + "':true))?'':'none';});}"
    "if(v){v.addEventListener('change',show);show();}"
)


def plan_page(result: ExchangeResult, pool: ExchangePool) -> str:
    """The programme's page (see the module's docstring)."""
    e = html.escape
    colour = {p.id: PALETTE[k % len(PALETTE)] for k, p in enumerate(pool.partnerships)}
    by_id = pool.by_id
    if len(result.exchanges) > AGGREGATE_ABOVE:
        journeys, places = _aggregated(result, pool, colour)
    else:
        journeys, places = _each(result, pool, colour)
    value = "—" if result.objective is None else f"{result.objective:g}"
    bound = "" if result.bound is None else f" · bound {result.bound:g}"
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>ClusterXchange · {e(result.pool)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>ClusterXchange programme · {e(result.pool)}</h1>",
        f"<p>Scheme <b>{e(result.scheme)}</b> · {len(result.exchanges)} exchanges · "
        f"{len(result.unplaced)} visitors not placed · value {e(value)}{e(bound)} · "
        f"<b>{e(result.status.words)}</b></p>",
    ]
    if result.note:
        parts.append(f"<p><b>{e(result.note)}</b></p>")
    keys = "".join(
        f"<span><span class='key' style='background:{colour[p.id]}'></span>{e(p.name)}</span> "
        for p in pool.partnerships
    )
    parts.append(f"<h2>Who travels where</h2><p class='muted'>{keys}· hosts in dark grey</p>")
    legend = [(p.name, colour[p.id]) for p in pool.partnerships]
    choices = "".join(f"<option value='{e(p.id)}'>{e(p.name)}</option>" for p in pool.partnerships)
    parts.append(
        "<p><label>Show <select id='view'><option value=''>every partnership</option>"
        f"{choices}</select></label>"
        + (
            " <span class='muted'>Every partnership: one line per pair of countries, as wide as"
            " its exchanges; a partnership: one per pair of regions.</span>"
            if len(result.exchanges) > AGGREGATE_ABOVE
            else ""
        )
        + "</p>"
    )
    parts.append(svg_map(list(places.values()), journeys, "visitors and their hosts", legend))
    outside = [p.label for p in places.values() if not in_core(p.point)]
    if any(in_core(p.point) for p in places.values()) and outside:
        parts.append(
            f"<p class='muted'>Beyond the frame (their lines leave the map): {e('; '.join(outside))}</p>"
        )
    parts += _partnerships(result, pool)
    parts += _hosts(result, pool)
    if result.unplaced:
        names = "".join(f"<li>{e(_who(by_id[u.id]))} — {e(u.reason)}</li>" for u in result.unplaced)
        parts.append(f"<section><h2>Visitors not placed, and why</h2><ul>{names}</ul></section>")
    parts.append(f"<script>{_VIEW_SCRIPT}</script>")
    parts.append(
        f"<p class='muted'>Made in {result.wall_time_s:.3g} s with seed {result.seed}.</p>"
    )
    parts.append("</body></html>")
    return "\n".join(parts)


def kpi_table(result: ExchangeResult, pool: ExchangePool, scheme: Scheme | None = None) -> str:
    """The partnerships' figures as an HTML table (escaped), one row each."""
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for h in KPI_HEADERS[1:])
    rows = []
    for k in partnership_kpis(result, pool, scheme):
        halved = "—" if k.halved is None else f"{k.halved:.0%}"
        budget = "not limited" if k.budget is None else f"{k.budget:,.2f}"
        left = "—" if k.left is None else f"{k.left:,.2f}"
        cells = [str(k.exchanges), str(k.hosted), str(k.countries), str(k.lagging_regions),
                 str(k.smes), halved, f"{k.spent:,.2f}", budget, left]  # fmt: skip
        rows.append(
            f"<tr><th scope='row'>{e(k.name)}</th>"
            + "".join(f"<td class='n'>{e(c)}</td>" for c in cells)
            + "</tr>"
        )
    return f"<table class='kpis'><tr>{head}</tr>{''.join(rows)}</table>"


def _partnerships(result: ExchangeResult, pool: ExchangePool) -> list[str]:
    e = html.escape
    out = [f"<section><h2>The partnerships' figures</h2>{kpi_table(result, pool)}</section>"]
    for p in pool.partnerships:
        mine = [x for x in result.exchanges if x.partnership == p.id]
        spent = result.spending.get(p.id, 0.0)
        budget = "no budget limit"
        if p.budget is not None:
            budget = (
                f"budget EUR {p.budget:,.2f} · spent {spent:,.2f} · left {p.budget - spent:,.2f}"
            )
        rows = "".join(
            f"<tr><td>{e(_who(pool.by_id[x.visitor]))}</td><td>{e(_who(pool.by_id[x.host]))}</td>"
            f"<td class='n'>{x.working_days}</td><td class='n'>{x.distance_km:,.0f}</td>"
            f"<td class='n'>{x.lump_sum:,.2f}</td>"
            f"<td>{e(fit_words(pool.by_id[x.visitor], pool.by_id[x.host]))}</td></tr>"
            for x in mine
        )
        out.append(
            f"<section><h2>{e(p.name)}</h2><p class='muted'>{len(mine)} exchanges · {e(budget)}</p>"
            "<table><tr><th>visitor</th><th>host</th><th>working days</th><th>km</th>"
            f"<th>lump sum EUR</th><th>why it fits</th></tr>{rows}</table></section>"
        )
    return out


def _hosts(result: ExchangeResult, pool: ExchangePool) -> list[str]:
    e = html.escape
    visits: dict[str, list[str]] = defaultdict(list)
    for x in result.exchanges:
        visits[x.host].append(_who(pool.by_id[x.visitor]))
    rows = "".join(
        f"<tr><td>{e(_who(pool.by_id[h]))}</td><td class='n'>{len(v)} of"
        f" {pool.by_id[h].capacity}</td><td>{e(', '.join(v))}</td></tr>"
        for h, v in sorted(visits.items(), key=lambda item: pool.by_id[item[0]].name)
    )
    return [
        "<section><h2>Hosts and their visitors</h2><table><tr><th>host</th><th>visits</th>"
        f"<th>visitors</th></tr>{rows}</table></section>"
    ]
