"""Language choice: a signed-in user's saved language, else the visitor's choice, else Chinese."""

from flask import current_app, has_request_context, session
from flask_login import current_user

LOCALE_SESSION_KEY = "locale"


def select_locale() -> str:
    """The locale for this request."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    chosen = session.get(LOCALE_SESSION_KEY)
    if chosen in languages:
        return str(chosen)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])
