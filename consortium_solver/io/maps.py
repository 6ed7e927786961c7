"""Maps for the HTML pages, as inline SVG (no script, no tiles, nothing fetched): the packaged NUTS-2
outlines, places as dots, journeys as lines.

Projection: Lambert azimuthal equal-area centred at 52° N, 10° E — the projection of Eurostat's own
maps of Europe (ETRS89-LAEA, EPSG:3035; formulas for the sphere, Snyder, "Map Projections — A Working
Manual", USGS 1987, p. 185), so that areas and distances look as they are.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

from consortium_solver.core.geo import EARTH_RADIUS_KM
from consortium_solver.reference import region_outlines

CENTRE = (52.0, 10.0)  # latitude, longitude
WIDTH = 900
MARGIN_KM = 150.0
# Mainland Europe and its near islands (south, north, west, east): the frame of the map when the
# places lie in it; the outermost regions (Canarias, Açores, Madeira, ...) then fall outside it.
CORE = (34.0, 72.0, -25.0, 45.0)
# Twenty colours told apart at a glance: Kenneth L. Kelly's "twenty-two colors of maximum
# contrast" (Color Engineering 3(6), 1965) without white and black, in his order (each as far as
# can be from those before it). Beyond twenty, a dot's number tells its group.
PALETTE = ("#F3C300", "#875692", "#F38400", "#A1CAF1", "#BE0032", "#C2B280", "#848482", "#008856",
           "#E68FAC", "#0067A5", "#F99379", "#604E97", "#F6A600", "#B3446C", "#DCD300", "#882D17",
           "#8DB600", "#654522", "#E25822", "#2B3D26")  # fmt: skip


LEGEND_CHARS = 48  # a legend label's characters drawn at most


@dataclass(frozen=True)
class Place:
    """A dot: where (latitude, longitude), what it is called, its colour."""

    point: tuple[float, float]
    label: str
    colour: str = "#333"
    mark: str = ""  # a short text drawn in the dot (a group's number)
    group: str = ""  # what a view of the map shows or hides it by (a partnership)


@dataclass(frozen=True)
class Journey:
    """A line between two points, labelled, in a colour."""

    start: tuple[float, float]
    end: tuple[float, float]
    label: str
    colour: str
    width: float = 1.4  # several journeys drawn as one: wider
    group: str = ""  # what a view of the map shows or hides it by (a partnership)


def _ink(colour: str) -> str:
    """Black or white, whichever reads better on the colour (its relative luminance)."""
    r, g, b = (int(colour[k : k + 2], 16) / 255 for k in (1, 3, 5))
    return "#000" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else "#fff"


def in_core(point: tuple[float, float]) -> bool:
    """Whether a place lies in the map's usual frame (:data:`CORE`)."""
    lat, lon = point
    return CORE[0] <= lat <= CORE[1] and CORE[2] <= lon <= CORE[3]


def project(lat: float, lon: float) -> tuple[float, float]:
    """Kilometres east and north of the centre (spherical LAEA, radius 6,371 km)."""
    phi, lam = math.radians(lat), math.radians(lon)
    phi0, lam0 = math.radians(CENTRE[0]), math.radians(CENTRE[1])
    k = math.sqrt(
        2
        / (
            1
            + math.sin(phi0) * math.sin(phi)
            + math.cos(phi0) * math.cos(phi) * math.cos(lam - lam0)
        )
    )
    x = EARTH_RADIUS_KM * k * math.cos(phi) * math.sin(lam - lam0)
    y = (
        EARTH_RADIUS_KM
        * k
        * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam - lam0))
    )
    return x, y


def svg_map(
    places: Sequence[Place],
    journeys: Sequence[Journey] = (),
    title: str = "map",
    legend: Sequence[tuple[str, str]] = (),
) -> str:
    """An SVG map of the places and journeys on the NUTS-2 outlines around them, with a legend of
    (label, colour) rows below it."""
    every = [p.point for p in places] + [q for j in journeys for q in (j.start, j.end)]
    if not every:
        return ""
    core = [q for q in every if in_core(q)]
    points = [project(*q) for q in (core or every)]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, x1 = min(xs) - MARGIN_KM, max(xs) + MARGIN_KM
    y0, y1 = min(ys) - MARGIN_KM, max(ys) + MARGIN_KM
    scale = WIDTH / max(x1 - x0, 1.0)
    height = max(200, round((y1 - y0) * scale))
    # As many legend entries a row as their longest label leaves room for (13-px text: ~7 px a
    # letter, plus the dot), from 1 to 4.
    longest = max((len(label[:LEGEND_CHARS]) for label, _ in legend), default=0)
    per_row = max(1, min(4, WIDTH // (longest * 7 + 34)))
    key_height = 22 * -(-len(legend) // per_row) + (10 if legend else 0)

    def at(lat: float, lon: float) -> str:
        x, y = project(lat, lon)
        return f"{(x - x0) * scale:.1f},{(y1 - y) * scale:.1f}"

    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' role='img' aria-label='{html.escape(title)}'"
        f" viewBox='0 0 {WIDTH} {height + key_height}' width='100%' style='max-width:{WIDTH}px'>"
        f"<rect width='{WIDTH}' height='{height}' fill='#eef3f8'/>"
    ]
    for rings in region_outlines().values():
        for ring in rings:
            projected = [project(lat, lon) for lon, lat in ring]
            if not any(x0 <= x <= x1 and y0 <= y <= y1 for x, y in projected):
                continue
            path = " ".join(f"{(x - x0) * scale:.1f},{(y1 - y) * scale:.1f}" for x, y in projected)
            parts.append(f"<polygon points='{path}' fill='#fff' stroke='#bbb' stroke-width='0.6'/>")
    for j in journeys:
        a, b = at(*j.start).split(","), at(*j.end).split(",")
        parts.append(
            f"<line x1='{a[0]}' y1='{a[1]}' x2='{b[0]}' y2='{b[1]}' stroke='{j.colour}'"
            f" stroke-width='{j.width:g}' stroke-opacity='0.7'"
            f" data-group='{html.escape(j.group, quote=True)}'>"
            f"<title>{html.escape(j.label)}</title></line>"
        )
    for p in places:
        x, y = at(*p.point).split(",")
        parts.append(
            f"<g data-group='{html.escape(p.group, quote=True)}'><title>{html.escape(p.label)}</title>"
            f"<circle cx='{x}' cy='{y}' r='7'"
            f" fill='{p.colour}' stroke='#222' stroke-width='0.7'/>"
        )
        if p.mark:
            parts.append(
                f"<text x='{x}' y='{y}' dy='3' text-anchor='middle' font-size='8'"
                f" font-family='sans-serif' fill='{_ink(p.colour)}'>{html.escape(p.mark)}</text>"
            )
        parts.append("</g>")
    for k, (label, colour) in enumerate(legend):
        kx, ky = 10 + (k % per_row) * (WIDTH // per_row), height + 18 + 22 * (k // per_row)
        parts.append(
            f"<circle cx='{kx + 7}' cy='{ky - 4}' r='7' fill='{colour}' stroke='#222'"
            f" stroke-width='0.7'/><text x='{kx + 20}' y='{ky}' font-size='13'"
            f" font-family='sans-serif'>{html.escape(label[:LEGEND_CHARS])}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
