from flask import Blueprint

bp = Blueprint("portal", __name__)

from app.portal import book, bookings, feeds, notifications, routes, statement, timeline  # noqa: E402, F401
