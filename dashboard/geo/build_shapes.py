"""Regenerate `countries.geojson` (the map's country shapes) from a world-atlas TopoJSON file.

The map must draw with no network, so the shapes ship with the dashboard. They come from
Natural Earth (public domain) via the `world-atlas` package's `countries-50m.json` (ISC
licence). This script is only needed to refresh them:

    python dashboard/geo/build_shapes.py path/to/countries-50m.json

It decodes the TopoJSON arcs, simplifies each shared arc once (so neighbouring countries keep
a common border), rounds coordinates to 0.01°, and keys every feature by its ISO 3166-1
alpha-2 code (read from pycountry at build time; the dashboard does not need pycountry). It also
writes `country_names.json`, the code -> short English name table the sidebar and captions use.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).with_name("countries.geojson")
NAMES_OUT = Path(__file__).with_name("country_names.json")
TOLERANCE = 0.04  # degrees; about 4 km, invisible at the zoom levels the map uses
NO_NUMERIC_CODE = {"Kosovo": "XK"}  # Natural Earth features that have no ISO numeric id


def _decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _simplify(points: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """Douglas–Peucker, iterative, keeping both end points (they are shared with other arcs)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        best, index = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if norm == 0:
                dist = ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5
            else:
                dist = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm
            if dist > best:
                best, index = dist, i
        if best > tol:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [p for p, k in zip(points, keep) if k]


def _ring(indices: list[int], arcs: list) -> list[list[float]]:
    ring: list[list[float]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        pts = [[round(x, 2), round(y, 2)] for x, y in arc]
        ring.extend(pts if not ring else pts[1:])
    deduped = [p for j, p in enumerate(ring) if j == 0 or p != ring[j - 1]]
    return deduped


def build(topo_path: Path) -> dict:
    import pycountry

    topo = json.loads(topo_path.read_text())
    arcs = [_simplify(a, TOLERANCE) for a in _decode_arcs(topo)]
    features = []
    for geom in topo["objects"]["countries"]["geometries"]:
        name = geom.get("properties", {}).get("name", "")
        code = NO_NUMERIC_CODE.get(name, "")
        if not code and geom.get("id"):
            country = pycountry.countries.get(numeric=geom["id"])
            code = country.alpha_2 if country else ""
        if geom["type"] == "Polygon":
            polys = [geom["arcs"]]
        elif geom["type"] == "MultiPolygon":
            polys = geom["arcs"]
        else:
            continue
        coords = []
        for poly in polys:
            rings = [_ring(r, arcs) for r in poly]
            rings = [r for r in rings if len(r) >= 4]
            if rings:
                coords.append(rings)
        if not coords:
            continue
        xs = [p[0] for poly in coords for p in poly[0]]
        ys = [p[1] for poly in coords for p in poly[0]]
        features.append({
            "type": "Feature",
            "id": code or f"X-{name}",
            "properties": {"name": name, "bbox": [min(xs), min(ys), max(xs), max(ys)]},
            "geometry": {"type": "MultiPolygon", "coordinates": coords},
        })
    return {"type": "FeatureCollection", "features": features}


def names(collection: dict) -> dict[str, str]:
    """ISO alpha-2 -> short English name: Natural Earth's short name unless abbreviated, else ISO's."""
    import pycountry

    short = {f["id"]: f["properties"]["name"] for f in collection["features"]}
    table = {}
    for country in pycountry.countries:
        ne = short.get(country.alpha_2, "")
        iso = getattr(country, "common_name", None) or country.name
        table[country.alpha_2] = ne if ne and "." not in ne else iso.split(",")[0]
    table.update({"XK": "Kosovo", "CD": "DR Congo", "CG": "Congo", "US": "United States",
                  "KP": "North Korea"})
    return dict(sorted(table.items()))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    collection = build(Path(sys.argv[1]))
    OUT.write_text(json.dumps(collection, separators=(",", ":")))
    NAMES_OUT.write_text(json.dumps(names(collection), indent=0, ensure_ascii=False) + "\n")
    print(f"wrote {len(collection['features'])} countries to {OUT} ({OUT.stat().st_size // 1024} KiB)")
