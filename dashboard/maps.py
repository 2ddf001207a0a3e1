"""Ward maps: real boundaries when an operator points WARD_BOUNDARIES at a GeoJSON file or URL,
otherwise a hex map of the 49 wards computed here from the ward centroids in the published file.

Nothing here is copied from elsewhere: the boundary file is read at run time only (its licence
asks for attribution, shown under the map), and the hex layout is worked out from centroids:

1. project the centroids to a plane (longitude scaled by cos(latitude), so distances are true);
2. scale the points so that a grid of hexagons (odd-r offset rows, unit width) has about one
   cell per ward over the wards' extent;
3. give each ward its own cell by solving the assignment problem (scipy's linear_sum_assignment:
   the total squared distance between wards and their cells is as small as possible), which is
   deterministic and keeps neighbours together: town-centre wards, which are tiny, spread into
   the cells around them rather than being pushed to the edge one by one.

Both kinds of map end up as the same thing: planar GeoJSON geometries per ward code, drawn by
Altair with an identity projection (y reflected), so the chart code is shared.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st
from altair.utils.schemapi import debug_mode

ROOT = Path(__file__).resolve().parent.parent
ENV_VAR = "WARD_BOUNDARIES"
WARD_CODE = re.compile(r"^W05\d{6}$")
MAX_BYTES = 20 * 1024 * 1024  # a generalised boundary file for 49 wards is ~100 kB
TIMEOUT_SECONDS = 10.0  # whole download, not per read
SQRT3 = math.sqrt(3.0)

WITHHELD_FILL = "#9E9E9E"  # neutral grey, never part of the value scale
MISSING_FILL = "#E6E6E6"
SELECTED_STROKE = "#000000"
TEXT = "#1F1F1F"  # legend text: dark for contrast (WCAG 1.4.3)


class ValidatedLayerChart(alt.LayerChart):
    """A layered chart checked against the Vega-Lite schema once, when it was built.

    Streamlit calls to_dict() on every rerun, and Altair's JSON-schema validation of a layered
    chart with tooltips and legends costs 50-100 ms each time; the charts here are cached per
    view, so validating once per cached chart (and in the tests) is enough."""

    def to_dict(self, *args, **kwargs):
        kwargs["validate"] = False
        return super().to_dict(*args, **kwargs)


def validated_once(chart: alt.LayerChart) -> alt.LayerChart:
    """Validate now (raises on a bad spec) and skip validation on later to_dict() calls."""
    chart.to_dict(validate=True)
    checked = chart.copy(deep=False)
    object.__setattr__(
        checked, "__class__", ValidatedLayerChart
    )  # SchemaBase.__setattr__ would store it in the spec
    return checked


# --- hex layout ------------------------------------------------------------------------------


def project(lon, lat, lat0: float) -> tuple[np.ndarray, np.ndarray]:
    """Longitude/latitude to a plane in degrees of latitude (equirectangular at lat0)."""
    return np.asarray(lon, dtype=float) * math.cos(math.radians(lat0)), np.asarray(lat, dtype=float)


def hex_centre(col: int, row: int) -> tuple[float, float]:
    """Centre of an odd-r offset hex cell (odd rows shifted right by half a cell), unit width."""
    return col + 0.5 * (row & 1), row * SQRT3 / 2


def hex_distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Steps between two odd-r cells (col, row)."""

    def cube(col, row):
        col, row = int(col), int(row)
        x = col - (row - (row & 1)) // 2
        return x, row, -x - row

    (ax, ay, az), (bx, by, bz) = cube(*a), cube(*b)
    return max(abs(ax - bx), abs(ay - by), abs(az - bz))


def hex_layout(wards: pd.DataFrame) -> pd.DataFrame:
    """One distinct odd-r hex cell per ward, from centroid_lon/centroid_lat.

    Returns ward_code, col, row, x, y (cell centre), with the bottom-left of the layout near 0."""
    from scipy.optimize import linear_sum_assignment

    frame = (
        wards[["ward_code", "centroid_lon", "centroid_lat"]].sort_values("ward_code").reset_index(drop=True)
    )
    n = len(frame)
    if n == 0:
        return pd.DataFrame(columns=["ward_code", "col", "row", "x", "y"])
    lat0 = float(frame["centroid_lat"].mean())
    px, py = project(frame["centroid_lon"], frame["centroid_lat"], lat0)
    points = np.c_[px - px.min(), py - py.min()]
    width, height = max(np.ptp(points[:, 0]), 1e-9), max(np.ptp(points[:, 1]), 1e-9)
    # About one hex cell (area sqrt(3)/2 in grid units) per ward over the wards' bounding box.
    scale = math.sqrt(n * (SQRT3 / 2) / (width * height)) if n > 1 else 1.0
    grid = points * scale
    cols = int(math.ceil(grid[:, 0].max())) + 3
    rows = int(math.ceil(grid[:, 1].max() / (SQRT3 / 2))) + 3
    cells = [(c, r) for r in range(-1, rows) for c in range(-1, cols)]
    centres = np.array([hex_centre(c, r) for c, r in cells])
    cost = ((grid[:, None, :] - centres[None, :, :]) ** 2).sum(axis=-1)
    ward_index, cell_index = linear_sum_assignment(cost)
    chosen = [cells[j] for j in cell_index[np.argsort(ward_index)]]
    # Shift so the smallest row is even (keeps the odd-r parity) and the smallest column is 0.
    row_shift = min(r for _, r in chosen)
    row_shift -= row_shift & 1
    col_shift = min(c for c, _ in chosen)
    layout = pd.DataFrame(
        {
            "ward_code": frame["ward_code"],
            "col": [c - col_shift for c, _ in chosen],
            "row": [r - row_shift for _, r in chosen],
        }
    )
    layout["x"] = [hex_centre(c, r)[0] for c, r in zip(layout["col"], layout["row"])]
    layout["y"] = [hex_centre(c, r)[1] for c, r in zip(layout["col"], layout["row"])]
    return layout


def hexagon(x: float, y: float, size: float = 0.98) -> dict:
    """A pointy-top hexagon (odd-r layouts use pointy tops) of width `size` around (x, y)."""
    radius = size / SQRT3
    ring = [
        [round(x + radius * math.cos(math.radians(a)), 5), round(y + radius * math.sin(math.radians(a)), 5)]
        for a in (90, 150, 210, 270, 330, 30, 90)
    ]
    return {"type": "Polygon", "coordinates": [ring]}


# --- boundaries from a file or URL -----------------------------------------------------------


@dataclass
class Boundaries:
    """Planar geometries by ward code, or why none could be loaded (`problem` is a key of the
    wards catalogue: boundary_missing, boundary_too_big, ...)."""

    geometries: dict[str, dict] = field(default_factory=dict)
    names: dict[str, tuple[str, str]] = field(default_factory=dict)
    problem: str | None = None
    lat0: float = 53.0
    digest: str = ""


def _read_source(source: str, timeout: float, max_bytes: int) -> bytes:
    """The bytes of a local path or an http(s) URL, within `timeout` seconds and `max_bytes`."""
    scheme = urlparse(source).scheme.lower()
    if scheme in ("http", "https"):
        import requests

        deadline = time.monotonic() + timeout
        try:
            with requests.get(
                source,
                timeout=(min(5.0, timeout), min(5.0, timeout)),
                stream=True,
                headers={"Accept": "application/geo+json, application/json"},
            ) as response:
                if response.status_code != 200:
                    raise LoadProblem("boundary_network")
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise LoadProblem("boundary_too_big")
                chunks, total = [], 0
                for chunk in response.iter_content(chunk_size=65536):
                    total += len(chunk)
                    if total > max_bytes:
                        raise LoadProblem("boundary_too_big")
                    if time.monotonic() > deadline:
                        raise LoadProblem("boundary_network")
                    chunks.append(chunk)
                return b"".join(chunks)
        except requests.RequestException:
            raise LoadProblem("boundary_network") from None
    if scheme and len(scheme) > 1:  # ftp:, file:, data: ... (one letter would be a drive)
        raise LoadProblem("boundary_bad_source")
    path = Path(source).expanduser()
    if not path.is_absolute():
        path = ROOT / path
    try:
        if not path.is_file():
            raise LoadProblem("boundary_missing")
        if path.stat().st_size > max_bytes:
            raise LoadProblem("boundary_too_big")
        return path.read_bytes()
    except OSError:
        raise LoadProblem("boundary_missing") from None


class LoadProblem(Exception):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _rings(geometry: dict) -> list[list]:
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon" and isinstance(coords, list):
        return coords
    if kind == "MultiPolygon" and isinstance(coords, list):
        return [ring for polygon in coords if isinstance(polygon, list) for ring in polygon]
    raise LoadProblem("boundary_not_geojson")


def parse_boundaries(raw: bytes) -> Boundaries:
    """Validate a GeoJSON FeatureCollection of wards (WD22CD, WD22NM, WD22NMW; Polygon or
    MultiPolygon in WGS84) and project it to the plane used by the charts."""
    try:
        collection = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise LoadProblem("boundary_not_json") from None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise LoadProblem("boundary_not_geojson")
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        raise LoadProblem("boundary_not_geojson")
    found: dict[str, dict] = {}
    names: dict[str, tuple[str, str]] = {}
    lats: list[float] = []
    for feature in features:
        if not isinstance(feature, dict):
            raise LoadProblem("boundary_not_geojson")
        props = feature.get("properties") or {}
        code = props.get("WD22CD")
        geometry = feature.get("geometry")
        if not isinstance(code, str) or not WARD_CODE.match(code) or not isinstance(geometry, dict):
            continue
        rings = _rings(geometry)
        for ring in rings:
            if not isinstance(ring, list) or len(ring) < 4:
                raise LoadProblem("boundary_not_geojson")
            for point in ring:
                if (
                    not isinstance(point, list)
                    or len(point) < 2
                    or not all(isinstance(v, (int, float)) for v in point[:2])
                    or not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90)
                ):
                    raise LoadProblem("boundary_not_geojson")
                lats.append(point[1])
        found[code] = geometry
        names[code] = (str(props.get("WD22NM") or ""), str(props.get("WD22NMW") or ""))
    if not found:
        raise LoadProblem("boundary_no_wards")
    lat0 = sum(lats) / len(lats)
    scale = math.cos(math.radians(lat0))

    def flat(ring):
        return [[round(p[0] * scale, 5), round(p[1], 5)] for p in ring]

    planar = {}
    for code, geometry in found.items():
        if geometry["type"] == "Polygon":
            planar[code] = {"type": "Polygon", "coordinates": [flat(r) for r in geometry["coordinates"]]}
        else:
            planar[code] = {
                "type": "MultiPolygon",
                "coordinates": [[flat(r) for r in polygon] for polygon in geometry["coordinates"]],
            }
    return Boundaries(geometries=planar, names=names, lat0=lat0, digest=hashlib.sha256(raw).hexdigest()[:16])


@st.cache_data(ttl=600, max_entries=8, show_spinner=False)
def load_boundaries(source: str, timeout: float = TIMEOUT_SECONDS, max_bytes: int = MAX_BYTES) -> Boundaries:
    """Boundaries from a GeoJSON path or http(s) URL; never raises: a failure comes back as
    `problem` (cached for ten minutes too, so a dead URL does not slow every rerun)."""
    try:
        return parse_boundaries(_read_source(source.strip(), timeout, max_bytes))
    except LoadProblem as problem:
        return Boundaries(problem=problem.key)
    except Exception:  # anything unexpected in someone else's file
        return Boundaries(problem="boundary_not_geojson")


def boundary_source() -> str | None:
    value = os.environ.get(ENV_VAR, "").strip()
    return value or None


# --- what the page draws ---------------------------------------------------------------------


@dataclass
class MapShapes:
    key: str  # identifies the shapes (for chart caching)
    kind: str  # "boundaries" or "hex"
    geometries: dict[str, dict]  # planar GeoJSON geometry by ward code
    label_points: dict[str, tuple[float, float]]  # where a ward's "c" goes
    problem: str | None = None  # why boundaries were wanted but not used


@st.cache_data(max_entries=16, show_spinner=False)
def _hex_shapes(ward_key: tuple) -> tuple[dict, dict]:
    wards = pd.DataFrame(list(ward_key), columns=["ward_code", "centroid_lon", "centroid_lat"])
    layout = hex_layout(wards)
    geometries = {row.ward_code: hexagon(row.x, row.y) for row in layout.itertuples()}
    points = {row.ward_code: (round(row.x, 5), round(row.y, 5)) for row in layout.itertuples()}
    return geometries, points


def shapes(wards: pd.DataFrame, source: str | None = None) -> MapShapes:
    """Boundaries from `source` (default: $WARD_BOUNDARIES) when they cover every ward, else the
    hex map (with the reason in `problem` when boundaries were asked for)."""
    source = source if source is not None else boundary_source()
    problem = None
    key = tuple((r.ward_code, float(r.centroid_lon), float(r.centroid_lat)) for r in wards.itertuples())
    if source:
        loaded = load_boundaries(source)
        problem = loaded.problem
        if problem is None and not set(wards["ward_code"]) <= set(loaded.geometries):
            problem = "boundary_no_wards"
        if problem is None:
            scale = math.cos(math.radians(loaded.lat0))
            points = {
                row.ward_code: (round(row.centroid_lon * scale, 5), round(row.centroid_lat, 5))
                for row in wards.itertuples()
            }
            return MapShapes(
                f"boundaries:{loaded.digest}:{hash(key)}",
                "boundaries",
                {c: loaded.geometries[c] for c in wards["ward_code"]},
                points,
            )
    geometries, points = _hex_shapes(key)
    return MapShapes(f"hex:{hash(key)}", "hex", geometries, points, problem)


def _inline(records: list[dict]) -> alt.Data:
    """Records as one JSON string that Vega parses in the browser: Altair neither validates
    nor copies thousands of coordinates item by item (that took ~0.3 s a rerun for real
    boundaries), and Streamlit passes layer-level data through untouched."""
    return alt.Data(
        values=json.dumps({"features": records}, separators=(",", ":")),
        format=alt.DataFormat(type="json", property="features"),
    )


@st.cache_resource(max_entries=64, show_spinner=False, hash_funcs={MapShapes: lambda shapes: shapes.key})
def choropleth(
    cells: pd.DataFrame, map_shapes: MapShapes, selected: str | None, texts: dict
) -> alt.LayerChart:
    """A map of wards coloured by `value`, withheld wards grey with "c", missing ones light grey
    with "x", the selected ward outlined. A click selects a ward (selection "ward_pick").

    `cells`: ward_code, ward_name, value (NaN when not shown), value_label, status ('value',
    'withheld', 'missing'), judgement_label, period_label.
    `texts` (translated): legend_value, legend_status, withheld_legend, missing_legend,
    tooltip_ward, tooltip_value, tooltip_compared, tooltip_period, withheld ("c"), missing ("x").

    Cached (one chart object per view, shared read-only), built without Altair's validation of
    every intermediate object and validated once when finished (see ValidatedLayerChart)."""
    # debug_mode is a process-wide switch: another session building a chart meanwhile merely
    # skips (or keeps) Altair's per-object checks; the finished chart is validated either way.
    with debug_mode(False):
        return validated_once(_choropleth(cells, map_shapes, selected, texts))


def _choropleth(
    cells: pd.DataFrame, map_shapes: MapShapes, selected: str | None, texts: dict
) -> alt.LayerChart:
    status_labels = {"withheld": texts["withheld_legend"], "missing": texts["missing_legend"]}
    marks = {"withheld": texts["withheld"], "missing": texts["missing"]}
    shapes_by_status: dict[str, list] = {"value": [], "other": []}
    every, labels = [], []
    for row in cells.to_dict("records"):
        geometry = map_shapes.geometries.get(row["ward_code"])
        if geometry is None:
            continue
        value = row["value"]
        value = None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)
        fields = {
            "ward_code": row["ward_code"],
            "ward_name": row["ward_name"],
            "value": value,
            "value_label": row["value_label"],
            "judgement_label": row["judgement_label"],
            "period_label": row["period_label"],
            "status_label": status_labels.get(row["status"], ""),
        }
        feature = {"type": "Feature", "geometry": geometry, **fields}
        shapes_by_status["value" if row["status"] == "value" else "other"].append(feature)
        every.append(feature)
        if row["status"] != "value":
            lon, lat = map_shapes.label_points[row["ward_code"]]
            labels.append({**fields, "mark": marks.get(row["status"], ""), "lx": lon, "ly": lat})
    pick = alt.selection_point(name="ward_pick", fields=["ward_code"], on="click", clear=False)
    tooltip = [
        alt.Tooltip("ward_name:N", title=texts["tooltip_ward"]),
        alt.Tooltip("value_label:N", title=texts["tooltip_value"]),
        alt.Tooltip("judgement_label:N", title=texts["tooltip_compared"]),
        alt.Tooltip("period_label:N", title=texts["tooltip_period"]),
    ]
    # aria=False on every layer: the chart as a whole carries the alt text (and the same figures
    # are in a table), and Vega's per-layer containers would otherwise be images without names.
    shown = (
        alt.Chart(_inline(shapes_by_status["value"]))
        .mark_geoshape(stroke="#FFFFFF", strokeWidth=1, aria=False)
        .encode(
            color=alt.Color(
                "value:Q",
                scale=alt.Scale(scheme="blues", zero=False),
                legend=alt.Legend(
                    title=texts["legend_value"], orient="top", gradientLength=220, titleLimit=320
                ),
            )
        )
    )
    others = (
        alt.Chart(_inline(shapes_by_status["other"]))
        .mark_geoshape(stroke="#FFFFFF", strokeWidth=1, aria=False)
        .encode(
            color=alt.Color(
                "status_label:N",
                scale=alt.Scale(
                    domain=[texts["withheld_legend"], texts["missing_legend"]],
                    range=[WITHHELD_FILL, MISSING_FILL],
                ),
                legend=alt.Legend(
                    title=texts["legend_status"],
                    orient="bottom",
                    labelLimit=320,
                    symbolType="square",
                    symbolSize=220,
                    symbolStrokeColor="#6B6B6B",
                    symbolStrokeWidth=1,
                ),
            )
        )
    )
    # Town-centre wards are tiny on the real map: a smaller "c" keeps the labels apart.
    size = 13 if map_shapes.kind == "hex" else 10
    text = (
        alt.Chart(alt.Data(values=labels))
        .mark_text(fontSize=size, fontWeight="bold", color="#1F1F1F", aria=False)
        .encode(longitude="lx:Q", latitude="ly:Q", text="mark:N")
    )
    # A transparent layer on top carries the tooltip and the click selection for every ward,
    # and outlines the chosen ward.
    chosen = alt.datum.ward_code == (selected or "")
    clicks = (
        alt.Chart(_inline(every))
        .mark_geoshape(fill="#FFFFFF", fillOpacity=0.001, aria=False)
        .encode(
            stroke=alt.condition(chosen, alt.value(SELECTED_STROKE), alt.value("transparent")),
            strokeWidth=alt.condition(chosen, alt.value(3), alt.value(0)),
            tooltip=tooltip,
        )
        .add_params(pick)
    )
    return (
        alt.layer(shown, others, text, clicks)
        .resolve_scale(color="independent")
        .project(type="identity", reflectY=True)
        .properties(height=460)
        .configure_view(stroke=None)
        .configure_legend(labelColor=TEXT, titleColor=TEXT, labelFontSize=12, titleFontSize=12)
    )
