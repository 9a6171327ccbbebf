"""The health check the load balancer and monitoring ask."""

import sqlalchemy as sa
from flask import jsonify
from flask.typing import ResponseReturnValue

from app.api import bp
from app.api.auth import public
from app.extensions import db, limiter


@bp.route("/healthz")
@public
@limiter.exempt
def healthz() -> ResponseReturnValue:
    """200 when the database answers, 503 when it does not."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return jsonify({"status": "unavailable"}), 503
    return jsonify({"status": "ok"})
