"""Distances on the Earth: the one great-circle function, for scalars and numpy arrays alike (the
exchange planner computes every visitor-host distance at once, the validator one at a time — both
with this function, so the two always agree)."""

from __future__ import annotations

from typing import TypeVar

import numpy as np

EARTH_RADIUS_KM = 6371.0
"""The Earth's mean radius (IUGG), used by the distances and by the maps' projection."""

T = TypeVar("T", float, np.ndarray)


def great_circle_km(lat1: T, lon1: T, lat2: T, lon2: T) -> T:
    """The great-circle distance in km between points given in degrees, exact (haversine; arrays
    broadcast, so ``a[:, None]`` against ``b[None, :]`` gives every pair). Rules test the exact
    distance (199.96 km is below 200); outputs round it for display."""
    la, lb = np.radians(lat1), np.radians(lat2)
    h = (
        np.sin((lb - la) / 2) ** 2
        + np.cos(la) * np.cos(lb) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    )
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    if isinstance(km, np.ndarray) and km.ndim:
        return km  # type: ignore[return-value]
    return float(km)  # type: ignore[return-value]
