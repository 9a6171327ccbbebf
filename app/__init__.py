"""The application factory."""

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from app.config import (
    Config,
    complete,
    env_overrides,
    instance_path,
    instance_secret_key,
    project_root,
)
from app.extensions import babel, csrf, db, limiter, login_manager, migrate


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: config, then extensions, then blueprints, then CLI commands."""
    root = project_root(Path(__file__).resolve().parent, Path.cwd())
    app = Flask(__name__, instance_path=str(instance_path(dict(os.environ), root)))
    app.config.from_object(Config)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(env_overrides(dict(os.environ)))
    if test_config:
        app.config.update(test_config)
    complete(app.config)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        Path(app.instance_path).mkdir(mode=0o700, parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'app.db'}"
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)

    from app import i18n, sqlite
    from app.services.links import check_public_url

    check_public_url(app)

    db.init_app(app)
    sqlite.configure(app)
    migrate.init_app(app, db, directory=str(root / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.install_template_gettext(app)
    i18n.check_catalogues(app)
    login_manager.init_app(app)

    from app import errors, web
    from app.api import bp as api_bp
    from app.auth import bp as auth_bp
    from app.manage import bp as manage_bp
    from app.portal import bp as portal_bp

    web.bound_routes(app)  # before the routes are added: every <int:…> id is bounded
    app.register_blueprint(auth_bp)
    app.register_blueprint(portal_bp)
    app.register_blueprint(manage_bp)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)
    errors.register(app)
    web.register(app)

    from app.cli import register as register_cli

    register_cli(app)
    return app
