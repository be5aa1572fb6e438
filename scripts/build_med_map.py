"""Build ``hub/templates/components/med_land.html``: the land of the site's Mediterranean map.

Output: one ``<path class="map-land" fill-rule="evenodd" d="..."/>`` in the map's
frame (see ``hub/maps.py``): equirectangular, longitude -6..37, latitude 29.5..46.5,
20 units a degree, ``x = (lon + 6) * 20``, ``y = (46.5 - lat) * 20``, viewBox
``0 0 860 340``. The land is clipped to the viewBox plus a 2-unit margin.

Data
----
The land/sea mask shipped inside the PyPI package ``global-land-mask`` (1.0.0,
by Todd Karin, MIT licence; https://github.com/toddkarin/global-land-mask). The
mask is the "no data over the sea" cells of NOAA NGDC's GLOBE 30 arc-second
(~1 km) digital elevation model, a work of the US government and in the public
domain, so the shapes derived from it may be redistributed freely. Nothing is
downloaded at run time: the mask is the ``.npz`` file inside the wheel. (In that
mask most lakes count as land; that suits this map.)

Method
------
1. Cut the 1/120-degree mask to the map's box (plus a margin) and average it in
   3x3 blocks, giving the land fraction on a 1/40-degree (0.5-unit) grid.
2. Trace the 0.5 iso-line with ``skimage.measure.find_contours`` (the grid is
   padded with sea so every line closes), turn the rings into faces with
   ``shapely.polygonize`` and keep the faces whose inside is land.
3. Clip to the box, simplify (``TOLERANCE`` units, topology kept), drop islands
   and lakes smaller than ``MIN_AREA`` square units, and write the rings as one
   SVG path with relative coordinates rounded to 0.1 unit.

How to run
----------
The generator needs packages that are *not* in the project's requirements, so
use a throwaway virtualenv::

    python3 -m venv /tmp/mapvenv
    /tmp/mapvenv/bin/pip install global-land-mask scikit-image shapely numpy
    /tmp/mapvenv/bin/python scripts/build_med_map.py          # from the repo root

It overwrites ``hub/templates/components/med_land.html`` and prints its size
(``--out PATH`` writes elsewhere). Built with global-land-mask 1.0.0,
scikit-image 0.26, shapely 2.x, numpy 2.x.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import numpy as np
import shapely
from global_land_mask import globe
from shapely.geometry import MultiPolygon, Polygon, box
from skimage import measure

WEST, EAST, SOUTH, NORTH = -6.0, 37.0, 29.5, 46.5
SCALE = 20.0  # map units a degree
WIDTH, HEIGHT = (EAST - WEST) * SCALE, (NORTH - SOUTH) * SCALE
MARGIN_DEG = 0.5  # data read beyond the box so coasts near its edge are whole
CLIP_MARGIN = 2.0  # map units the land may run past the viewBox
BLOCK = 3  # 1/120-degree cells averaged into one grid cell (3 -> 1/40 degree)
TOLERANCE = 0.5  # simplification, map units
MIN_AREA = 6.0  # square map units; smaller islands and lakes are dropped

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "hub" / "templates" / "components" / "med_land.html"


def land_fraction() -> tuple[np.ndarray, float, float, float]:
    """Land fraction on a coarse grid; returns (grid, lon0, lat0, step) where
    grid[i, j] is centred at (lon0 + j * step, lat0 - i * step)."""
    cell = 1 / 120
    lat_axis, lon_axis = globe._lat, globe._lon  # lat_axis[i] = 90 - i/120, cell tops
    i0 = int(round((90 - (NORTH + MARGIN_DEG)) / cell))
    i1 = int(round((90 - (SOUTH - MARGIN_DEG)) / cell))
    j0 = int(round(((WEST - MARGIN_DEG) + 180) / cell))
    j1 = int(round(((EAST + MARGIN_DEG) + 180) / cell))
    i1 -= (i1 - i0) % BLOCK
    j1 -= (j1 - j0) % BLOCK
    land = ~globe._mask[i0:i1, j0:j1]  # the package's mask is True over the sea
    h, w = land.shape
    frac = land.reshape(h // BLOCK, BLOCK, w // BLOCK, BLOCK).mean(axis=(1, 3))
    step = BLOCK * cell
    lat0 = float(lat_axis[i0]) - step / 2  # centre of the first block
    lon0 = float(lon_axis[j0]) + step / 2
    return frac, lon0, lat0, step


def land_geometry() -> MultiPolygon:
    frac, lon0, lat0, step = land_fraction()
    padded = np.pad(frac, 1, constant_values=0.0)  # sea all round: every contour closes

    def to_map(rc: np.ndarray) -> np.ndarray:
        rows, cols = rc[:, 0] - 1, rc[:, 1] - 1
        lon = lon0 + cols * step
        lat = lat0 - rows * step
        return np.column_stack(((lon - WEST) * SCALE, (NORTH - lat) * SCALE))

    rings = [
        shapely.LinearRing(to_map(c))
        for c in measure.find_contours(padded, 0.5)
        if len(c) >= 4
    ]
    faces = shapely.get_parts(shapely.polygonize(rings))

    def is_land(poly: Polygon) -> bool:
        p = poly.representative_point()
        col = (p.x / SCALE + WEST - lon0) / step
        row = (lat0 - (NORTH - p.y / SCALE)) / step
        r, c = int(round(row)), int(round(col))
        r = min(max(r, 0), frac.shape[0] - 1)
        c = min(max(c, 0), frac.shape[1] - 1)
        return frac[r, c] >= 0.5

    land = shapely.union_all([f for f in faces if is_land(f)])
    frame = box(-CLIP_MARGIN, -CLIP_MARGIN, WIDTH + CLIP_MARGIN, HEIGHT + CLIP_MARGIN)
    land = land.intersection(frame)
    land = land.simplify(TOLERANCE, preserve_topology=True)

    polys = []
    for poly in shapely.get_parts(land):
        if poly.area < MIN_AREA:
            continue
        holes = [h for h in poly.interiors if Polygon(h).area >= MIN_AREA]
        polys.append(Polygon(poly.exterior, holes))
    polys.sort(key=lambda p: -p.area)
    return MultiPolygon(polys)


def ring_to_path(coords) -> str:
    pts = [(round(x * 10), round(y * 10)) for x, y in coords]  # tenths of a unit
    dedup = [pts[0]]
    for p in pts[1:]:
        if p != dedup[-1]:
            dedup.append(p)
    if len(dedup) > 1 and dedup[-1] == dedup[0]:
        dedup.pop()
    if len(dedup) < 3:
        return ""

    def num(v: int) -> str:
        s = f"{v / 10:.1f}"
        return s[:-2] if s.endswith(".0") else s

    def join(values: list[int]) -> str:
        out = ""
        for v in values:
            s = num(v)
            out += s if (not out or s.startswith("-")) else " " + s
        return out

    x0, y0 = dedup[0]
    deltas: list[int] = []
    for (ax, ay), (bx, by) in zip(dedup, dedup[1:]):
        deltas += [bx - ax, by - ay]
    return "M" + join([x0, y0]) + "l" + join(deltas) + "z"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    geom = land_geometry()
    d = ""
    for poly in geom.geoms:
        for ring in [poly.exterior, *poly.interiors]:
            d += ring_to_path(ring.coords)
    html = f'<path class="map-land" fill-rule="evenodd" d="{d}"/>\n'
    args.out.write_text(html)
    print(f"{args.out}: {os.path.getsize(args.out)} bytes, {len(geom.geoms)} polygons")


if __name__ == "__main__":
    main()
