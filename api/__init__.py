"""The dashboard's HTTP API, served by the same Streamlit server (see server.py).

GET /api/v1/indicators          the indicator catalogue (JSON)
GET /api/v1/data.csv|.json|.xlsx|.zip   filtered extracts (dashboard/extract.py)
GET /api/v1/openapi.json        the OpenAPI description
"""

from api.routes import routes

__all__ = ["routes"]
