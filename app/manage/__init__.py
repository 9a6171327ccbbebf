"""The manager console: companies, people, zones, spaces and leases."""

from flask import Blueprint

bp = Blueprint("manage", __name__, url_prefix="/manage")

from app.manage import companies, dashboard, leases, people, spaces  # noqa: E402, F401
