"""The manager console: companies, people, zones, spaces and leases."""

from flask import Blueprint

bp = Blueprint("manage", __name__, url_prefix="/manage")

from app.manage import (  # noqa: E402, F401
    approvals,
    audit,
    calendar,
    closures,
    companies,
    dashboard,
    leases,
    people,
    policies,
    reports,
    spaces,
    workdays,
)
