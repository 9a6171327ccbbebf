"""Language choice: a signed-in user's saved language, else the visitor's choice, else Chinese.

People and settings name Chinese ``zh_CN``; Babel calls it ``zh_Hans_CN``, which is why the
catalogue lives in ``translations/zh_Hans_CN``.
"""

from pathlib import Path

from babel import Locale, support
from flask import Flask, current_app, g, has_request_context, session
from flask_babel import get_locale, get_translations
from flask_login import current_user

from app import catalogues

LOCALE_SESSION_KEY = "locale"


def select_locale() -> str:
    """The locale for this request."""
    languages = current_app.config["LANGUAGES"]
    if has_request_context():
        # An API request's user is in g (set by its token), never in the session.
        if g.get("api_locale") in languages:
            return str(g.api_locale)
        if current_user and current_user.is_authenticated and current_user.locale in languages:
            return str(current_user.locale)
        if session.get(LOCALE_SESSION_KEY) in languages:
            return str(session[LOCALE_SESSION_KEY])
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def check_catalogues(app: Flask) -> None:
    """Every configured language has its compiled catalogue, compiled now when missing or stale.

    Flask-Babel would answer with the English msgids under ``lang="zh-CN"`` without one; a
    catalogue that can be neither found nor compiled raises ``CatalogueError`` instead.
    """
    directories = [Path(folder) for folder in app.extensions["babel"].translation_directories]
    locales = [str(Locale.parse(name)) for name in app.config["LANGUAGES"]]
    for mo in catalogues.ensure_languages(directories, locales):
        app.logger.info("Compiled the message catalogue %s", mo)


def _catalogue() -> support.NullTranslations:
    """The catalogue of the current locale, looked up once per request and locale.

    Flask-Babel finds it anew for every string (the domain, the locale, its name, the cache):
    a page of 25 bookings asks for 355 strings, a fifth of its CPU. ``force_locale`` and
    ``refresh`` give the context another Locale object, so the memo is keyed by identity.
    """
    locale = get_locale()
    if locale is None:  # no app context
        return get_translations()
    memo = g.get("_i18n_catalogue")
    if memo is None or memo[0] is not locale:
        memo = g._i18n_catalogue = (locale, get_translations())
    return memo[1]


def install_template_gettext(app: Flask) -> None:
    """Templates' ``_``, ``ngettext`` and ``pgettext`` through ``_catalogue`` (after Babel's
    init_app, which installs the uncached ones)."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda text: _catalogue().ugettext(text),
        ngettext=lambda one, many, n: _catalogue().ungettext(one, many, n),
        pgettext=lambda context, text: _catalogue().upgettext(context, text),
        npgettext=lambda context, one, many, n: _catalogue().unpgettext(context, one, many, n),
        newstyle=True,
    )
