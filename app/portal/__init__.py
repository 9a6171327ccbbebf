from flask import Blueprint

bp = Blueprint("portal", __name__)

from app.portal import (  # noqa: E402, F401
    book,
    bookings,
    change,
    display,
    feeds,
    find,
    notifications,
    routes,
    statement,
    timeline,
)
