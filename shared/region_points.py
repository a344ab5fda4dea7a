"""Coordinates → the Kemendagri regency or city they most likely lie in, offline.

No package in the registries ships Kemendagri boundaries or regency centroids, so this is the
regency of the nearest populated place in GeoNames (data/regions/places.csv: 1,985 places, 1,953
of them in 498 of the 514 regencies; CC BY 4.0, see SOURCE.md there), if one lies within
``MAX_KM``. It is a guess, right about four times in five (bench/region_points.py: leave each
place out in turn; of the 1,626 points so guessed, 79.5% get their own regency and 98.7% their
own province). A place GeoNames gives no regency (central Jakarta, Batam, …) makes no guess for
the points nearest to it, and Jakarta is the weak spot: of its five cities GeoNames places only
Jakarta Timur, so a point in Jakarta gets no regency or, near its edge, a neighbour's.
A region code or a place name, when given, wins over this.
"""

from __future__ import annotations

import csv
import functools
import math
from pathlib import Path
from typing import NamedTuple

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "regions" / "places.csv"
MAX_KM = 25.0
EARTH_KM = 6371.0
# Indonesia with its sea: a point outside is nobody's regency, without looking.
BOUNDS = (-11.5, 6.5, 94.5, 141.5)  # south, north, west, east


class Place(NamedTuple):
    regency_code: str
    latitude: float
    longitude: float
    name: str


@functools.lru_cache(maxsize=2)
def load_places(path: str = str(DEFAULT_PATH)) -> tuple[Place, ...]:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = csv.reader(handle)
        next(rows)  # header
        return tuple(Place(code, float(lat), float(lon), name) for code, lat, lon, name in rows)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_KM * math.asin(math.sqrt(h))


def nearest_place(latitude: float, longitude: float, places=None) -> tuple[Place, float] | None:
    """The nearest place within MAX_KM and its distance; None if there is none."""
    south, north, west, east = BOUNDS
    if not (south <= latitude <= north and west <= longitude <= east):
        return None
    window = MAX_KM / 111.0  # in degrees of latitude: a cheap first cut, exact enough
    best = None
    for place in places if places is not None else load_places():
        if abs(place.latitude - latitude) > window:
            continue
        km = distance_km(latitude, longitude, place.latitude, place.longitude)
        if km <= MAX_KM and (best is None or km < best[1]):
            best = (place, km)
    return best


def regency_at(latitude: float, longitude: float) -> str | None:
    """'73.71' for a point in Makassar; None far from every known place, or nearest to one
    whose regency GeoNames does not give (see the module)."""
    found = nearest_place(latitude, longitude)
    return (found[0].regency_code or None) if found else None
