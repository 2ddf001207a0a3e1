"""The OpenAPI 3.1 description of the API (served at /api/v1/openapi.json)."""

from __future__ import annotations

from dashboard import extract

_FILTERS = [
    ("indicator", "Indicator ids, comma separated (see /api/v1/indicators), e.g. S2 or S1,S2."),
    ("outcome_area", "One outcome area id (happy, healthy, safe, resilient, ...): its indicators only."),
    ("service", "One service id: its indicators only."),
    (
        "area",
        "Area codes, comma separated: W06000006 (Wrexham), W92000004 (Wales), a ward code (W05...), "
        "'wards' for every ward, or 'all' (the default).",
    ),
    ("from", "First period id (e.g. 2024-25 Q1): rows starting on or after its start."),
    ("to", "Last period id (e.g. 2026-27 Q2): rows ending on or before its end."),
    (
        "breakdown",
        "'all' (totals only, the default), 'any' (totals and every breakdown) or breakdown names, "
        "comma separated (e.g. age_band).",
    ),
    ("lang", "Language of headers and labels: en (default) or cy."),
    ("vintage", "A kept published quarter (e.g. 2026-27-Q2); the latest when left out."),
]


def _parameter(name: str, description: str) -> dict:
    schema = {"type": "string", "maxLength": extract.MAX_VALUE_LENGTH}
    if name == "lang":
        schema["enum"] = ["en", "cy"]
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def openapi_document() -> dict:
    filters = [_parameter(name, text) for name, text in _FILTERS]
    errors = {
        "400": _error(
            "Unknown, malformed, repeated or oversized parameter, or more than "
            f"{extract.MAX_ROWS} rows matched."
        ),
        "414": _error("Query string too long."),
        "503": _error("No published data yet."),
    }
    data_ops = {}
    for kind, media, summary in (
        ("csv", "text/csv", "Filtered figures as CSV (UTF-8 with BOM, CRLF, headers in the chosen language)"),
        (
            "json",
            "application/json",
            "Filtered figures as JSON (machine field names, titles in the chosen language)",
        ),
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Filtered figures as an Excel workbook (data and metadata sheets)",
        ),
        (
            "zip",
            "application/zip",
            "Filtered figures as a Frictionless data package (data.csv + datapackage.json)",
        ),
    ):
        content = (
            {"schema": {"$ref": "#/components/schemas/Extract"}}
            if kind == "json"
            else {"schema": {"type": "string", "format": "binary" if kind in ("xlsx", "zip") else "text"}}
        )
        data_ops[f"/api/v1/data.{kind}"] = {
            "get": {
                "operationId": f"data_{kind}",
                "summary": summary,
                "parameters": filters,
                "description": "Withheld figures (note code c) have an empty value, never 0. Cells that a "
                "spreadsheet would run as a formula start with an apostrophe.",
                "responses": {"200": {"description": "The extract", "content": {media: content}}, **errors},
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Wrexham Prevention and Early Help outcomes API",
            "version": "1.0.0",
            "description": "Published, disclosure-controlled figures of the Prevention and Early Help "
            "outcomes framework: the same extracts as the dashboard's Downloads page, "
            "byte for byte.",
            "license": {"name": extract.LICENCE["title"], "url": extract.LICENCE["path"]},
        },
        "paths": {
            "/api/v1/indicators": {
                "get": {
                    "operationId": "indicators",
                    "summary": "The indicator catalogue, and the areas, breakdowns "
                    "and periods the filters accept",
                    "parameters": [
                        _parameter("lang", dict(_FILTERS)["lang"]),
                        _parameter("vintage", dict(_FILTERS)["vintage"]),
                    ],
                    "responses": {
                        "200": {
                            "description": "The catalogue",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        **errors,
                    },
                }
            },
            **data_ops,
            "/api/v1/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This description",
                    "responses": {"200": {"description": "OpenAPI document"}},
                }
            },
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error", "message"],
                    "properties": {
                        "error": {"type": "string"},
                        "message": {"type": "string"},
                        "rows": {"type": "integer"},
                        "limit": {"type": "integer"},
                    },
                },
                "Extract": {
                    "type": "object",
                    "properties": {
                        "filters": {"type": "object"},
                        "vintage": {"type": "string"},
                        "rows": {"type": "integer"},
                        "fields": {"type": "array", "items": {"type": "object"}},
                        "notes": {"type": "object"},
                        "licence": {"type": "object"},
                        "data": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    key: {"type": ["number", "null"]}
                                    if kind == "number"
                                    else {"type": "string"}
                                    for key, kind in extract.COLUMNS
                                },
                            },
                        },
                    },
                },
            }
        },
    }
