"""The HTTP API (api/) through Starlette's TestClient: the documented routes, short JSON errors
(never a trace or a path), bounded results, the same bytes as the page's files, and hypothesis
throwing arbitrary parameters at it: only 200 with valid data or 4xx with a JSON error."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette

from api import routes
from dashboard import extract


class Response:
    def __init__(self, status: int, headers: dict, content: bytes):
        self.status_code, self.headers, self.content = status, headers, content
        self.text = content.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.content)


class Client:
    """A minimal ASGI client (starlette.testclient needs httpx2, which is not a dependency):
    one HTTP request through the same Starlette routes the server mounts."""

    def __init__(self, app):
        self.app = app

    def request(self, method: str, path: str, params=None) -> Response:
        if "?" in path:
            path, query = path.split("?", 1)
        else:
            query = urlencode(params or {}) if not isinstance(params, list) else urlencode(params)
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": query.encode("latin-1", "replace"),
            "headers": [(b"host", b"testserver")],
            "client": ("127.0.0.1", 1),
            "server": ("testserver", 80),
        }
        sent = {"status": None, "headers": {}, "body": b""}

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            if message["type"] == "http.response.start":
                sent["status"] = message["status"]
                sent["headers"] = {k.decode().lower(): v.decode() for k, v in message["headers"]}
            elif message["type"] == "http.response.body":
                sent["body"] += message.get("body", b"")

        asyncio.run(self.app(scope, receive, send))
        return Response(sent["status"], sent["headers"], sent["body"])

    def get(self, path: str, params=None) -> Response:
        return self.request("GET", path, params)

    def post(self, path: str) -> Response:
        return self.request("POST", path)


@pytest.fixture(scope="module")
def client(demo_build):
    mp = pytest.MonkeyPatch()
    mp.setenv("PEH_PUBLISHED", str(demo_build["published"]))
    yield Client(Starlette(routes=routes))
    mp.undo()


def test_indicators_lists_the_catalogue_in_both_languages(client):
    en = client.get("/api/v1/indicators").json()
    cy = client.get("/api/v1/indicators", params={"lang": "cy"}).json()
    assert en["count"] == len(en["indicators"]) >= 30
    s2 = {i["id"]: i for i in cy["indicators"]}["S2"]
    assert s2["name"] != {i["id"]: i for i in en["indicators"]}["S2"]["name"]
    assert "W06000006" in en["areas"] and en["max_rows"] == extract.MAX_ROWS


def test_openapi_describes_every_route_and_filter(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    for path in ("/api/v1/indicators", "/api/v1/data.csv", "/api/v1/data.json", "/api/v1/openapi.json"):
        assert path in doc["paths"]
    names = {p["name"] for p in doc["paths"]["/api/v1/data.csv"]["get"]["parameters"]}
    assert {"indicator", "area", "from", "to", "breakdown", "lang", "vintage"} <= names
    assert set(extract.PARAMETERS) == names


def test_csv_and_json_agree_and_match_the_page_files(client):
    params = {"indicator": "S2", "area": "wards", "from": "2024-25 Q1", "lang": "cy"}
    response = client.get("/api/v1/data.csv", params=params)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content == extract.csv_bytes(extract.parse(params))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    document = client.get("/api/v1/data.json", params=params).json()
    assert document["rows"] == len(rows) - 1 == len(document["data"])
    assert [f["title"] for f in document["fields"]] == rows[0]
    for kind in ("xlsx", "zip"):
        assert client.get(f"/api/v1/data.{kind}", params=params).content == extract.FORMATS[kind][0](
            extract.parse(params)
        )


def test_withheld_values_are_null_with_note_c_in_json(client):
    document = client.get("/api/v1/data.json", params={"indicator": "S2", "area": "wards"}).json()
    withheld = [r for r in document["data"] if "c" in r["note_codes"].split()]
    assert withheld and all(r["value"] is None for r in withheld)
    assert document["notes"]["c"]


@pytest.mark.parametrize(
    "query, status, code",
    [
        ("colour=red", 400, "unknown_parameter"),
        ("indicator=S2&indicator=S3", 400, "repeated_parameter"),
        ("indicator=S2%27%20OR%201%3D1%20--", 400, "unknown_value"),
        ("area=%3Cscript%3E", 400, "unknown_value"),
        ("lang=de", 400, "unknown_value"),
        ("indicator=" + "S" * 1500, 400, "parameter_too_long"),
        ("area=all&breakdown=any", 400, "too_many_rows"),
        ("indicator=" + "S2," * 2000, 414, "query_too_long"),
        ("from=%ff%fe", 400, "unknown_value"),
    ],
)
def test_bad_requests_get_short_json_errors(client, query, status, code):
    response = client.get("/api/v1/data.csv?" + query)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["error"] == code and len(body["message"]) < 300
    assert "Traceback" not in response.text and "/work/" not in response.text and ".py" not in response.text


def test_oversized_request_says_how_many_rows(client):
    body = client.get("/api/v1/data.json", params={"area": "all", "breakdown": "any"}).json()
    assert body["rows"] > body["limit"] == extract.MAX_ROWS


def test_only_get(client):
    assert client.post("/api/v1/data.csv").status_code == 405


# --- hypothesis: arbitrary parameters ---------------------------------------------------------

VALID = {
    "indicator": ["S2", "S1,S2", "E3", "H1", "R1"],
    "outcome_area": ["safe", "happy"],
    "service": ["mental_health"],
    "area": ["W06000006", "W92000004", "wards", "all", "W06000006,wards"],
    "from": ["2024-25 Q1", "2018-04", "2025-26"],
    "to": ["2025-26 Q4", "2026-09", "2019-20"],
    "breakdown": ["all", "any", "age_band"],
    "lang": ["en", "cy"],
    "vintage": ["latest", "2026-27-Q2"],
}
names = st.one_of(st.sampled_from(list(VALID)), st.text(max_size=12))
junk = st.one_of(
    st.text(max_size=60),
    st.text(alphabet="=+-@\t\r'\";%<>&,\x00\\/ ", max_size=20),
    st.just("x" * 1200),
    st.binary(max_size=20).map(lambda b: b.decode("latin-1")),
)


@st.composite
def queries(draw):
    items = []
    for name in draw(st.lists(names, max_size=5)):
        value = draw(st.one_of(st.sampled_from(VALID[name]), junk) if name in VALID else junk)
        items.append((name, value))
    return items


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(items=queries(), kind=st.sampled_from(["csv", "json", "indicators"]))
def test_arbitrary_parameters_get_200_with_data_or_4xx_json(client, items, kind):
    path = "/api/v1/indicators" if kind == "indicators" else f"/api/v1/data.{kind}"
    response = client.get(path, params=items)
    assert response.status_code < 500, response.text[:300]
    if response.status_code == 200:
        if kind == "csv":
            assert response.content.startswith(b"\xef\xbb\xbf")
            rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
            assert len(rows) >= 1 and len({len(r) for r in rows}) == 1
            assert len(rows) - 1 <= extract.MAX_ROWS
        else:
            body = json.loads(response.content)
            assert isinstance(body, dict)
    else:
        assert 400 <= response.status_code < 500
        body = response.json()
        assert set(body) >= {"error", "message"}
        assert "Traceback" not in response.text and "/work/" not in response.text
