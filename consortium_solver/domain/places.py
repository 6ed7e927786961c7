"""Whether a point lies in the NUTS-2 region declared beside it: coordinates and a region given
together should agree. A point is taken as in the region when it falls inside one of the region's
outlines (GISCO, 1:60 million, ray casting) or within :data:`NEAR_KM` of the outline (the outlines
are coarse: a harbour town can fall just outside). When the point does not fit but the same numbers
read the other way round do, the latitude and longitude were probably swapped.
"""

from __future__ import annotations

import numpy as np

from consortium_solver import reference
from consortium_solver.core.geo import EARTH_RADIUS_KM, great_circle_km

NEAR_KM = 40.0  # how far outside its coarse outline a point may lie and still count as in it


def in_region(code: str, lat: float, lon: float) -> bool | None:
    """Whether (lat, lon) lies in NUTS-2 region ``code``; None when the region has no outline."""
    rings = reference.region_outlines().get(code)
    if not rings:
        return None
    if any(_inside(ring, lon, lat) for ring in rings):
        return True
    return min(_edge_km(ring, lat, lon) for ring in rings) <= NEAR_KM


def place_problem(code: str, lat: float, lon: float, label: str = "") -> str | None:
    """A sentence when a point and its declared region (``label``: how to name it, e.g.
    "Oberbayern (DE21)") disagree ("… lat/lon swapped?"), else None."""
    fits = in_region(code, lat, lon)
    if fits is None or fits:
        return None
    said = f"the point {lat:g}, {lon:g} is not in {label or code}"
    if abs(lon) <= 90 and in_region(code, lon, lat):
        return f"{said}: lat/lon swapped? ({lon:g}, {lat:g} is in it)"
    centre = reference.region_points().get(code)
    if centre is not None:
        far = great_circle_km(lat, lon, *centre)
        said += f" ({far:,.0f} km from it)"
    return said


def _edge_km(ring: list[tuple[float, float]], lat: float, lon: float) -> float:
    """The distance in km from (lat, lon) to the nearest edge of ``ring`` (lon, lat points), on a
    local flat projection around the point (enough within a few hundred km)."""
    km_per_degree = 2 * np.pi * EARTH_RADIUS_KM / 360
    a = np.array(ring, dtype=np.float64)
    b = np.roll(a, -1, axis=0)
    scale = np.array([np.cos(np.radians(lat)) * km_per_degree, km_per_degree])
    a, b = (a - (lon, lat)) * scale, (b - (lon, lat)) * scale  # the point at the origin
    d = b - a
    t = np.clip(-(a * d).sum(axis=1) / np.maximum((d * d).sum(axis=1), 1e-12), 0.0, 1.0)
    nearest = a + t[:, None] * d
    return float(np.sqrt((nearest * nearest).sum(axis=1)).min())


def _inside(ring: list[tuple[float, float]], x: float, y: float) -> bool:
    """Ray casting: whether (x, y) lies inside the polygon ``ring`` of (x, y) points."""
    inside = False
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i]
        x2, y2 = ring[(i + 1) % n]
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside
