"""Starlette routes of the API. Every answer comes from dashboard/extract.py (the same functions
as the Downloads page); this module only turns requests into Filters and results into responses.

Errors are short JSON objects ({"error": code, "message": text}) with a 4xx status; anything
unexpected is logged here and answered with a bare 500 JSON object, never a trace or a path.
Handlers are plain functions, so Starlette runs them in its thread pool and DuckDB work never
blocks the event loop that serves the dashboard's websockets.
"""

from __future__ import annotations

import json
import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from api.openapi import openapi_document
from dashboard import data, extract

LOG = logging.getLogger("peh.api")
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}


def error(status: int, code: str, message: str, **details) -> JSONResponse:
    return JSONResponse({"error": code, "message": message, **details}, status_code=status, headers=HEADERS)


def _guarded(handler):
    """Bad parameters -> 400 JSON; no published file -> 503 JSON; anything else -> 500 JSON."""

    def wrapped(request: Request):
        try:
            if len(request.url.query) > extract.MAX_QUERY_LENGTH:
                return error(
                    414,
                    "query_too_long",
                    f"The query string is longer than {extract.MAX_QUERY_LENGTH} characters.",
                )
            return handler(request)
        except extract.BadRequest as problem:
            return JSONResponse(problem.body(), status_code=problem.status, headers=HEADERS)
        except data.NoData:
            return error(503, "no_data", "No published data is available yet.")
        except Exception:  # noqa: BLE001 - the client gets no details
            LOG.exception("API request failed: %s", request.url.path)
            return error(500, "internal_error", "The request could not be answered.")

    wrapped.__name__ = handler.__name__
    return wrapped


def _filters(request: Request) -> extract.Filters:
    return extract.parse(request.query_params.multi_items())


def _indicators(request: Request) -> Response:
    params = request.query_params.multi_items()
    allowed = {"lang", "vintage"}
    if any(name not in allowed for name, _ in params):
        raise extract.BadRequest("unknown_parameter", "This endpoint takes only 'lang' and 'vintage'.")
    filters = extract.parse(params)
    lang = filters.lang
    frame = extract.indicator_catalogue(filters.vintage)
    items = []
    for ind in frame.to_dict("records"):
        items.append(
            {
                "id": ind["indicator_id"],
                "name": ind[f"name_{lang}"],
                "short_name": ind[f"short_name_{lang}"],
                "outcome_area": ind["outcome_area"],
                "service": ind["service"],
                "lead_partner": ind["lead_partner"],
                "status": ind["status"],
                "value_type": ind["value_type"],
                "unit": ind[f"unit_{lang}"],
                "polarity": ind["polarity"],
                "frequency": ind["frequency"],
                "measure_type": ind["measure_type"],
                "lowest_geography": ind["lowest_geography"],
                "ci_method": ind["ci_method"],
                "benchmark": ind["benchmark"],
                "breakdowns": extract.json_list(ind["breakdowns"]),
                "sources": extract.json_list(ind["sources"]),
                "definition": ind[f"definition_{lang}"],
                "numerator": ind[f"numerator_{lang}"],
                "denominator": ind[f"denominator_{lang}"],
                "caveats": ind[f"caveats_{lang}"] or "",
            }
        )
    body = {
        "vintage": extract.metadata(filters)["vintage"],
        "language": lang,
        "count": len(items),
        "indicators": items,
        "areas": extract.area_codes(filters.vintage),
        "breakdowns": extract.breakdown_names(filters.vintage),
        "periods": extract.period_bounds(filters.vintage)["period"].tolist(),
        "max_rows": extract.MAX_ROWS,
    }
    return Response(
        json.dumps(body, ensure_ascii=False, default=str), media_type="application/json", headers=HEADERS
    )


def _extract(kind: str):
    builder, media_type, _ = extract.FORMATS[kind]

    def handler(request: Request) -> Response:
        filters = _filters(request)
        content = builder(filters)
        headers = dict(HEADERS)
        if kind != "json":
            headers["Content-Disposition"] = f'attachment; filename="{extract.file_name(filters, kind)}"'
        return Response(content, media_type=media_type, headers=headers)

    handler.__name__ = f"data_{kind}"
    return handler


def _openapi(request: Request) -> Response:
    if request.query_params:
        raise extract.BadRequest("unknown_parameter", "This endpoint takes no parameters.")
    return JSONResponse(openapi_document(), headers=HEADERS)


routes = [
    Route("/api/v1/indicators", _guarded(_indicators), methods=["GET"]),
    Route("/api/v1/data.csv", _guarded(_extract("csv")), methods=["GET"]),
    Route("/api/v1/data.json", _guarded(_extract("json")), methods=["GET"]),
    Route("/api/v1/data.xlsx", _guarded(_extract("xlsx")), methods=["GET"]),
    Route("/api/v1/data.zip", _guarded(_extract("zip")), methods=["GET"]),
    Route("/api/v1/openapi.json", _guarded(_openapi), methods=["GET"]),
]
