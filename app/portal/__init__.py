from flask import Blueprint

bp = Blueprint("portal", __name__)

from app.portal import bookings, routes, timeline  # noqa: E402, F401
