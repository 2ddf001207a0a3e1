"""Ward maps: the hex layout computed from ward centroids, and the GeoJSON boundary loader."""

from __future__ import annotations

import contextlib
import http.server
import json
import math
import threading
import time

import altair as alt
import numpy as np
import pandas as pd
import pytest
from support import SHARED_REFERENCE, open_published

from dashboard import maps

GEOJSON = SHARED_REFERENCE / "wrexham_wards_2022.geojson"


@pytest.fixture(scope="module")
def wards(demo_build) -> pd.DataFrame:
    """The published ward table (what the app lays out)."""
    con = open_published(demo_build["published"])
    try:
        return con.execute("SELECT ward_code, name_en, name_cy, centroid_lon, centroid_lat FROM ward").df()
    finally:
        con.close()


@pytest.fixture(autouse=True)
def fresh_cache():
    maps.load_boundaries.clear()
    yield
    maps.load_boundaries.clear()


# --- hex layout ------------------------------------------------------------------------------


def test_every_ward_gets_its_own_cell(wards):
    layout = maps.hex_layout(wards)
    assert len(wards) == 49
    assert len(layout) == 49
    assert set(layout["ward_code"]) == set(wards["ward_code"])
    cells = list(zip(layout["col"], layout["row"]))
    assert len(set(cells)) == 49, "two wards share a hex"
    assert layout["col"].min() == 0 and layout["row"].min() in (0, 1)


def test_layout_is_deterministic_whatever_the_row_order(wards):
    first = maps.hex_layout(wards).set_index("ward_code").sort_index()
    again = maps.hex_layout(wards).set_index("ward_code").sort_index()
    shuffled = maps.hex_layout(wards.sample(frac=1.0, random_state=7)).set_index("ward_code").sort_index()
    pd.testing.assert_frame_equal(first, again)
    pd.testing.assert_frame_equal(first, shuffled)


def _geographic_neighbours(wards: pd.DataFrame, k: int = 3) -> dict[str, list[str]]:
    lat0 = wards["centroid_lat"].mean()
    x, y = maps.project(wards["centroid_lon"], wards["centroid_lat"], lat0)
    points = np.c_[x, y]
    distance = np.sqrt(((points[:, None] - points[None]) ** 2).sum(-1))
    np.fill_diagonal(distance, np.inf)
    codes = list(wards["ward_code"])
    return {codes[i]: [codes[j] for j in np.argsort(distance[i])[:k]] for i in range(len(codes))}


def test_geographic_neighbours_stay_close_on_the_hex_map(wards):
    layout = maps.hex_layout(wards).set_index("ward_code")
    cell = {code: (row.col, row.row) for code, row in layout.iterrows()}
    steps = [
        maps.hex_distance(cell[a], cell[b]) for a, near in _geographic_neighbours(wards).items() for b in near
    ]
    assert np.median(steps) <= 2, f"median steps to the 3 nearest wards is {np.median(steps)}"
    assert np.mean(steps) <= 2.0
    assert max(steps) <= 5


def test_the_layout_keeps_the_compass(wards):
    """North stays up and east stays right: hex rows and columns follow latitude and longitude."""
    layout = maps.hex_layout(wards).merge(wards, on="ward_code")
    assert np.corrcoef(layout["y"], layout["centroid_lat"])[0, 1] > 0.8
    assert np.corrcoef(layout["x"], layout["centroid_lon"])[0, 1] > 0.8


def test_hex_distance_counts_steps_on_an_odd_r_grid():
    assert maps.hex_distance((0, 0), (0, 0)) == 0
    assert maps.hex_distance((0, 0), (1, 0)) == 1
    assert maps.hex_distance((0, 0), (0, 1)) == 1  # odd row is shifted right
    assert maps.hex_distance((1, 0), (0, 1)) == 1
    assert maps.hex_distance((0, 0), (3, 0)) == 3
    assert maps.hex_distance((0, 0), (0, 2)) == 2


def test_hexagons_touch_but_do_not_overlap(wards):
    layout = maps.hex_layout(wards)
    centres = layout[["x", "y"]].to_numpy()
    distance = np.sqrt(((centres[:, None] - centres[None]) ** 2).sum(-1))
    np.fill_diagonal(distance, np.inf)
    assert distance.min() == pytest.approx(1.0)  # unit-width pointy-top hexes
    ring = maps.hexagon(0.0, 0.0)["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == 7


# --- boundaries ------------------------------------------------------------------------------


def test_a_geojson_path_loads_every_ward(wards):
    loaded = maps.load_boundaries(str(GEOJSON))
    assert loaded.problem is None
    assert set(loaded.geometries) == set(wards["ward_code"])
    assert loaded.names["W05001713"] == ("Acrefair North", "Gogledd Acre-fair")
    shapes = maps.shapes(wards, str(GEOJSON))
    assert shapes.kind == "boundaries" and shapes.problem is None


def test_a_path_relative_to_the_project_root_works(wards):
    shapes = maps.shapes(wards, "../shared/reference/wrexham_wards_2022.geojson")
    assert shapes.kind == "boundaries"


def test_the_environment_variable_chooses_the_boundaries(wards, monkeypatch):
    monkeypatch.setenv("WARD_BOUNDARIES", str(GEOJSON))
    assert maps.shapes(wards).kind == "boundaries"
    monkeypatch.delenv("WARD_BOUNDARIES")
    shapes = maps.shapes(wards)
    assert shapes.kind == "hex" and shapes.problem is None


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"{not json", "boundary_not_json"),
        (b"\xff\xfe\x00garbage", "boundary_not_json"),
        (b'{"type": "Topology"}', "boundary_not_geojson"),
        (b"[1, 2, 3]", "boundary_not_geojson"),
        (b'{"type": "FeatureCollection", "features": []}', "boundary_not_geojson"),
        (
            b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"WD22CD": "W05001713"},'
            b' "geometry": {"type": "Polygon", "coordinates": [[["a", 1], [2, 2], [3, 3], ["a", 1]]]}}]}',
            "boundary_not_geojson",
        ),
        (
            b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"WD22CD": "E05000001"},'
            b' "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}]}',
            "boundary_no_wards",
        ),
    ],
)
def test_bad_files_fall_back_to_the_hex_map_with_a_reason(wards, tmp_path, content, problem):
    path = tmp_path / "wards.geojson"
    path.write_bytes(content)
    assert maps.load_boundaries(str(path)).problem == problem
    shapes = maps.shapes(wards, str(path))
    assert shapes.kind == "hex" and shapes.problem == problem
    assert len(shapes.geometries) == 49


def test_a_file_missing_some_wards_falls_back(wards, tmp_path):
    collection = json.loads(GEOJSON.read_text(encoding="utf-8"))
    collection["features"] = collection["features"][:40]
    path = tmp_path / "partial.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")
    shapes = maps.shapes(wards, str(path))
    assert shapes.kind == "hex" and shapes.problem == "boundary_no_wards"


def test_a_missing_path_falls_back(wards, tmp_path):
    shapes = maps.shapes(wards, str(tmp_path / "nowhere.geojson"))
    assert shapes.kind == "hex" and shapes.problem == "boundary_missing"


def test_a_file_that_is_too_big_is_not_read(tmp_path):
    assert maps.load_boundaries(str(GEOJSON), max_bytes=1000).problem == "boundary_too_big"


@pytest.mark.parametrize(
    "source", ["ftp://example.org/wards.geojson", "file:///etc/passwd", "data:application/json,{}"]
)
def test_only_paths_and_http_urls_are_accepted(source):
    assert maps.load_boundaries(source).problem == "boundary_bad_source"


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, bytes, float]] = {}

    def do_GET(self):  # noqa: N802
        status, body, delay = self.routes.get(self.path, (404, b"not found", 0.0))
        time.sleep(delay)
        self.send_response(status)
        self.send_header("Content-Type", "application/geo+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    _Handler.routes = {
        "/wards.geojson": (200, GEOJSON.read_bytes(), 0.0),
        "/broken.geojson": (200, b"<html>not json</html>", 0.0),
        "/slow.geojson": (200, GEOJSON.read_bytes(), 3.0),
    }
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_a_url_loads_the_boundaries(wards, server):
    shapes = maps.shapes(wards, f"{server}/wards.geojson")
    assert shapes.kind == "boundaries"


@pytest.mark.parametrize(
    "path, problem", [("/missing.geojson", "boundary_network"), ("/broken.geojson", "boundary_not_json")]
)
def test_a_bad_url_falls_back(wards, server, path, problem):
    shapes = maps.shapes(wards, server + path)
    assert shapes.kind == "hex" and shapes.problem == problem


def test_an_unreachable_url_falls_back_quickly():
    started = time.monotonic()
    loaded = maps.load_boundaries("http://127.0.0.1:9/wards.geojson")  # discard port: refused
    assert loaded.problem == "boundary_network"
    assert time.monotonic() - started < 5


def test_a_slow_url_is_given_up_within_the_time_limit(server):
    started = time.monotonic()
    loaded = maps.load_boundaries(f"{server}/slow.geojson", timeout=1.0)
    assert loaded.problem == "boundary_network"
    assert time.monotonic() - started < 2.5


def test_a_failed_load_is_cached_so_reruns_stay_fast(server):
    maps.load_boundaries(f"{server}/slow.geojson", timeout=1.0)
    started = time.monotonic()
    assert maps.load_boundaries(f"{server}/slow.geojson", timeout=1.0).problem == "boundary_network"
    assert time.monotonic() - started < 0.5


# --- the chart -----------------------------------------------------------------------------------

TEXTS = {
    "legend_value": "Value",
    "legend_status": "No figure",
    "withheld_legend": "c: withheld",
    "missing_legend": "x: not available",
    "tooltip_ward": "Ward",
    "tooltip_value": "Figure",
    "tooltip_compared": "Compared",
    "tooltip_period": "Period",
    "withheld": "c",
    "missing": "x",
}


def _cells(wards: pd.DataFrame) -> pd.DataFrame:
    status = ["withheld" if i % 5 == 0 else "missing" if i % 7 == 0 else "value" for i in range(len(wards))]
    return pd.DataFrame(
        {
            "ward_code": wards["ward_code"],
            "ward_name": wards["name_cy"],
            "value": [float(i) if s == "value" else math.nan for i, s in enumerate(status)],
            "value_label": [
                "c" if s == "withheld" else "x" if s == "missing" else str(i) for i, s in enumerate(status)
            ],
            "status": status,
            "judgement_label": "● Similar",
            "period_label": "2026",
        }
    )


@pytest.mark.parametrize("boundaries", [False, True])
def test_the_map_is_a_valid_chart_with_a_ward_selection(wards, boundaries):
    shapes = maps.shapes(wards, str(GEOJSON) if boundaries else "")
    cells = _cells(wards)
    chart = maps.choropleth(cells, shapes, "W05001713", TEXTS)
    assert isinstance(chart, maps.ValidatedLayerChart)
    spec = alt.LayerChart.to_dict(chart, validate=True)  # the full schema check Streamlit skips
    assert spec == chart.to_dict()
    assert spec["params"][0]["name"] == "ward_pick"
    assert spec["params"][0]["select"] == {
        "type": "point",
        "fields": ["ward_code"],
        "on": "click",
        "clear": False,
    }
    shown, others, text, clicks = spec["layer"]
    shown_codes = {f["ward_code"] for f in json.loads(shown["data"]["values"])["features"]}
    withheld = set(cells.loc[cells["status"] == "withheld", "ward_code"])
    assert shown_codes.isdisjoint(withheld), "a withheld ward was coloured on the value scale"
    assert {f["ward_code"] for f in json.loads(others["data"]["values"])["features"]} == set(
        cells.loc[cells["status"] != "value", "ward_code"]
    )
    marks = {row["ward_code"]: row["mark"] for row in text["data"]["values"]}
    assert {code for code, mark in marks.items() if mark == "c"} == withheld
    assert len(json.loads(clicks["data"]["values"])["features"]) == 49
    # grey for withheld is not a colour of the value scale
    assert others["encoding"]["color"]["scale"]["range"][0] == maps.WITHHELD_FILL
    assert shown["encoding"]["color"]["scale"]["scheme"] == "blues"
