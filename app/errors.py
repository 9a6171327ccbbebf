"""Error pages for people and error JSON for the API, in the reader's language."""

from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

API_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "bad_request",
    409: "conflict",
    422: "invalid",
    429: "rate_limited",
}


def error_messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        401: _("Please sign in."),
        403: _("You do not have access to this page."),
        404: _("This page does not exist."),
        405: _("This action is not available here."),
        409: _("This conflicts with something that already exists."),
        422: _("Some values are not valid."),
        429: _("Too many attempts. Please wait a minute and try again."),
        500: _("Something went wrong on our side. Please try again later."),
        503: _("The service is temporarily unavailable."),
    }


def api_error(status: int, message: str | None = None, details: dict[str, Any] | None = None):
    """The API's error body: ``{"error": {"code", "message", "details"}}``."""
    body = {
        "error": {
            "code": API_CODES.get(status, "error"),
            "message": message or error_messages().get(status, ""),
            "details": details or {},
        }
    }
    return jsonify(body), status


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        message = _("This form has expired. Please reload the page and try again.")
        return render_template("errors/error.html", status=400, message=message), 400

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        status = error.code or 500
        if _wants_json():
            return api_error(status)
        message = error_messages().get(status, error.description)
        return render_template("errors/error.html", status=status, message=message), status

    @app.errorhandler(500)
    def _server(error: Any):
        if _wants_json():
            return api_error(500)
        return render_template("errors/error.html", status=500, message=error_messages()[500]), 500
