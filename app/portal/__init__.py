from flask import Blueprint

bp = Blueprint("portal", __name__)

from app.portal import book, bookings, routes, timeline  # noqa: E402, F401
