"""Error pages for people and error JSON for the API, in the reader's language.

A database that is away or busy is answered with 503 and ``Retry-After``, on a page that needs
neither the database nor the signed-in user (the usual pages ask the database for both).
"""

import sqlite3
from contextlib import nullcontext
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError
from werkzeug.wrappers import Response

from app.extensions import db, login_manager

API_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "bad_request",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "rate_limited",
    503: "unavailable",
}

# PostgreSQL SQLSTATE classes that mean "not now" rather than "wrong": connection exception,
# transaction rollback (serialization failure, deadlock), insufficient resources (too many
# connections, disk full), operator intervention (shutdown, statement timeout), system error.
UNAVAILABLE_SQLSTATE_CLASSES = frozenset({"08", "40", "53", "57", "58"})
UNAVAILABLE_SQLSTATES = frozenset({"55P03"})  # lock_not_available: lock_timeout ran out
# SQLite primary result codes of the same kind: another connection holds the lock (past the
# busy timeout), the file cannot be opened or read.
UNAVAILABLE_SQLITE_CODES = frozenset(
    {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR}
)


def error_messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        401: _("Please sign in."),
        403: _("You do not have access to this page."),
        404: _("This page does not exist."),
        405: _("This action is not available here."),
        409: _("This conflicts with something that already exists."),
        413: _("What was sent is too large."),
        422: _("Some values are not valid."),
        429: _("Too many attempts. Please wait a minute and try again."),
        500: _("Something went wrong on our side. Please try again later."),
        503: _("The service is busy. Please try again in a moment."),
    }


def api_error(
    status: int, message: str | None = None, details: dict[str, Any] | None = None
) -> tuple[Response, int]:
    """The API's error body: ``{"error": {"code", "message", "details"}}``."""
    body = {
        "error": {
            "code": API_CODES.get(status, "error"),
            "message": message or error_messages().get(status, ""),
            "details": details or {},
        }
    }
    return jsonify(body), status


def database_unavailable(error: BaseException | None) -> bool:
    """Whether a database error means "away or busy, try again later" rather than a bug."""
    if isinstance(error, sa.exc.TimeoutError):  # every pooled connection in use
        return True
    if not isinstance(error, sa.exc.DBAPIError):
        return False
    cause = error.orig
    if isinstance(cause, sqlite3.Error):
        # Without a code it is the sqlite3 module's own complaint, i.e. a programming error.
        code = getattr(cause, "sqlite_errorcode", None)
        return code is not None and code & 0xFF in UNAVAILABLE_SQLITE_CODES
    if error.connection_invalidated or isinstance(error, sa.exc.InterfaceError):
        return True
    if not isinstance(error, sa.exc.OperationalError):
        return False
    state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if not state:
        # A PostgreSQL driver failing to connect or losing the server has no SQLSTATE.
        return True
    return state[:2] in UNAVAILABLE_SQLSTATE_CLASSES or state in UNAVAILABLE_SQLSTATES


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _with_headers(response: Any, error: HTTPException) -> Any:
    """Keep what the exception says beside its body: ``Allow`` of a 405, ``WWW-Authenticate``."""
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def plain_page(status: int, message: str) -> Response:
    """An error page that needs nothing but the request: no user, no database, no URL map.

    Rendered without the context processors, which ask the database (the menu's counts) and
    build URLs (impossible when the Host header was refused).
    """
    root = request.script_root
    locale = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    html = current_app.jinja_env.get_template("errors/plain.html").render(
        status=status,
        message=message,
        home=f"{root}/",
        static_root=f"{root}{current_app.static_url_path}",
        html_lang="zh-CN" if locale.startswith("zh") else "en",
    )
    return current_app.response_class(html, status=status, mimetype="text/html")


def _locale_in_memory() -> str | None:
    """The signed-in user's language if the user is loaded already, without asking the database."""
    state = sa.inspect(g.get("_login_user"), raiseerr=False)
    locale = state.dict.get("locale") if state is not None else None
    return str(locale) if locale in current_app.config["LANGUAGES"] else None


def unavailable(error: BaseException) -> Response:
    """503 with ``Retry-After``, as error JSON or as a page, touching no database on the way."""
    locale = _locale_in_memory()
    # Whatever still asks for current_user in this request (the locale, after-request hooks)
    # gets the anonymous user instead of a query that would fail again.
    g._login_user = login_manager.anonymous_user()
    try:
        db.session.rollback()  # on PostgreSQL an aborted transaction refuses everything else
    except sa.exc.SQLAlchemyError:
        current_app.logger.debug("Rollback after an unavailable database failed", exc_info=True)
    cause = getattr(error, "orig", None) or error
    first_line = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
    current_app.logger.warning(
        "Database unavailable or busy on %s %s: %s: %s",
        request.method,
        request.path,
        type(cause).__name__,
        first_line,
    )
    with force_locale(locale) if locale else nullcontext():
        if _wants_json():
            response, _status = api_error(503)
        else:
            response = plain_page(503, error_messages()[503])
    response.status_code = 503
    response.headers["Retry-After"] = str(int(current_app.config["DATABASE_RETRY_AFTER"]))
    response.headers["Cache-Control"] = "no-store"
    return response


def _refuse_untrusted_host() -> None:
    # Flask refuses a Host outside TRUSTED_HOSTS only when the view would run; before that,
    # other hooks (CSRF, rate limits) would work with a request that has no URL map.
    if isinstance(request.routing_exception, SecurityError):
        raise request.routing_exception


def register(app: Flask) -> None:
    # First of all before-request hooks, ahead of those the extensions registered.
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_untrusted_host)

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> ResponseReturnValue:
        message = _("This form has expired. Please reload the page and try again.")
        return render_template("errors/error.html", status=400, message=message), 400

    @app.errorhandler(sa.exc.DBAPIError)
    @app.errorhandler(sa.exc.TimeoutError)
    def _database(error: sa.exc.SQLAlchemyError) -> ResponseReturnValue:
        if not database_unavailable(error):
            raise error  # a bug: logged and answered as 500 like any other
        return unavailable(error)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> ResponseReturnValue:
        status = error.code or 500
        if _wants_json():
            return _with_headers(api_error(status)[0], error), status
        message = error_messages().get(status) or str(error.description)
        if isinstance(error, SecurityError):
            return _with_headers(plain_page(status, message), error)
        page = render_template("errors/error.html", status=status, message=message)
        return _with_headers(current_app.make_response((page, status)), error)

    @app.errorhandler(InternalServerError)
    def _server(error: InternalServerError) -> ResponseReturnValue:
        # An error raised outside a view's handlers (in an after-request hook, say) lands here.
        cause = error.original_exception
        if cause is not None and database_unavailable(cause):
            return unavailable(cause)
        try:
            db.session.rollback()
        except sa.exc.SQLAlchemyError:
            current_app.logger.debug("Rollback after an error failed", exc_info=True)
        if _wants_json():
            return api_error(500)
        return render_template("errors/error.html", status=500, message=error_messages()[500]), 500
