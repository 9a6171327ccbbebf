"""The JSON API (API.md): /api/v1 for other systems, plus /healthz."""

from flask import Blueprint

bp = Blueprint("api", __name__)

from app.api import (  # noqa: E402, F401
    audit,
    auth,
    bookings,
    catalogue,
    errors,
    openapi,
    reports,
    routes,
    workdays,
)
