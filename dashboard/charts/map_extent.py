"""Where the map looks: the frame that holds the data (leaving out a few far-away places), the
enlarged panel's frame when most places crowd into a small part of it, and the Mercator
arithmetic both need."""
from __future__ import annotations

import math

import pandas as pd

from dashboard.geo.countries import bbox_of

OUTSIDE_SHARE = 0.03    # the map frame may leave out far-away places holding this share of counts
CORE_SHARE = 0.8        # the enlarged panel holds the nearest places with this share of counts
CORE_RATIO = 0.4        # ... and is drawn only when its frame is at most this part of the whole's width
FRAME_ASPECT = 1.7     # map frame width / height (Mercator), about the page's map area


def map_frame(countries: pd.DataFrame, places: pd.DataFrame) -> tuple[tuple[float, float, float, float], pd.DataFrame]:
    """The map's frame (lon_min, lat_min, lon_max, lat_max) and the places left outside it.

    The frame holds every place except the farthest few that together have at most
    OUTSIDE_SHARE of the place counts (distance from the count-weighted median place), plus
    the countries holding most of the articles, so Moscow and Geneva with dozens of articles
    are in it while a Washington dateline or two does not shrink the Middle East to a corner.
    The places left out are returned so the figure can name them.
    """
    outside = places.iloc[0:0]
    boxes = []
    if len(places):
        lon, lat, n = places["lon"].astype(float), places["lat"].astype(float), places["n"].astype(float)
        order = n.sort_values(ascending=False).index
        cum = n[order].cumsum() / n.sum()
        mid_lon = float(lon[order][cum >= 0.5].iloc[0]) if len(order) else 0.0
        mid_lat = float(lat[order][cum >= 0.5].iloc[0]) if len(order) else 0.0
        far = ((lon - mid_lon) * math.cos(math.radians(mid_lat))) ** 2 + (lat - mid_lat) ** 2
        by_distance = far.sort_values(ascending=False).index
        dropped = n[by_distance].cumsum() / n.sum()
        out_idx = list(dropped[dropped <= OUTSIDE_SHARE].index)
        outside = places.loc[out_idx].sort_values("n", ascending=False)
        kept = places.drop(index=out_idx)
        if len(kept):
            boxes.append((kept["lon"].min(), kept["lat"].min(), kept["lon"].max(), kept["lat"].max()))
    if len(countries):
        ranked = countries.sort_values("n", ascending=False)
        cum = ranked["n"].cumsum() / max(ranked["n"].sum(), 1)
        box = bbox_of(list(ranked["code"][(cum.shift(fill_value=0) < 0.8)].head(8)))
        if box is not None:
            boxes.append(box)
    if not boxes:
        boxes.append((25.0, 12.0, 60.0, 42.0))   # the Middle East when there is nothing to frame
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    pad_x, pad_y = max(2.0, (x1 - x0) * 0.08), max(2.5, (y1 - y0) * 0.12)
    frame = _widened(max(-180, x0 - pad_x), max(-80, y0 - pad_y), min(180, x1 + pad_x), min(80, y1 + pad_y))
    if len(outside):   # widening the frame may have brought some of them in
        inside = (outside["lon"].between(frame[0], frame[2]) & outside["lat"].between(frame[1], frame[3]))
        outside = outside[~inside]
    return frame, outside


def mercator_y(lat: float) -> float:
    """A latitude's y on the Mercator plane (x being the longitude in radians)."""
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _widened(x0: float, y0: float, x1: float, y1: float,
             aspect: float = FRAME_ASPECT) -> tuple[float, float, float, float]:
    """Grow the frame along one axis to the panel's shape (`aspect`, width over height, in
    Mercator units): a frame taller than the panel would leave blank bands either side."""
    width = math.radians(x1 - x0)
    height = mercator_y(y1) - mercator_y(y0)
    if height <= 0 or width <= 0:
        return x0, y0, x1, y1
    if width / height < aspect:
        grow = math.degrees(aspect * height - width) / 2
        x0, x1 = max(-180.0, x0 - grow), min(180.0, x1 + grow)
    else:
        mid = (mercator_y(y0) + mercator_y(y1)) / 2
        half = width / aspect / 2

        def lat_of(y: float) -> float:
            return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)
        y0, y1 = max(-80.0, lat_of(mid - half)), min(80.0, lat_of(mid + half))
    return x0, y0, x1, y1


def core_frame(places: pd.DataFrame, full: tuple[float, float, float, float],
               aspect: float) -> tuple[float, float, float, float] | None:
    """The frame of the enlarged panel: around the places nearest the count-weighted centre
    that together hold CORE_SHARE of the counts. None when that frame would not be much
    smaller than `full` (one panel shows everything readably then).

    Why: reporting on one war piles dozens of places into one country; framed with the far
    datelines (Moscow, Geneva, Washington) their bubbles and names overlap into a blob."""
    if len(places) < 3:
        return None
    lon, lat, n = places["lon"].astype(float), places["lat"].astype(float), places["n"].astype(float)
    order = n.sort_values(ascending=False).index
    cum = n[order].cumsum() / n.sum()
    mid_lon, mid_lat = float(lon[order][cum >= 0.5].iloc[0]), float(lat[order][cum >= 0.5].iloc[0])
    dist = ((lon - mid_lon) * math.cos(math.radians(mid_lat))) ** 2 + (lat - mid_lat) ** 2
    near = dist.sort_values().index
    share = n[near].cumsum() / n.sum()
    kept = near[: int((share < CORE_SHARE).sum()) + 1]
    x0, y0 = float(lon[kept].min()), float(lat[kept].min())
    x1, y1 = float(lon[kept].max()), float(lat[kept].max())
    pad_x, pad_y = max(1.0, (x1 - x0) * 0.1), max(1.0, (y1 - y0) * 0.12)
    frame = _widened(x0 - pad_x, y0 - pad_y, x1 + pad_x, y1 + pad_y, aspect)
    if frame[2] - frame[0] > CORE_RATIO * (full[2] - full[0]):
        return None
    return frame

