"""Who am I, the zones, the spaces and a space's day: what a client reads before booking."""

from typing import Any

import sqlalchemy as sa
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.api import bp
from app.api.auth import api_user
from app.api.errors import bad_request
from app.api.parsing import ID, MISSING, page_args, query_bool, query_day, query_text
from app.api.serializers import page_json, space_json, user_json, zone_json
from app.extensions import db
from app.models import Space, Zone
from app.services.availability import day_availability
from app.services.errors import NotFound
from app.sqltypes import utcnow


def paginate(query: sa.Select[Any], serialise: Any) -> dict[str, Any]:
    """One page of ``query``'s rows in the list envelope."""
    page, per_page = page_args()
    found = db.paginate(query, page=page, per_page=per_page, error_out=False)
    return page_json(found, serialise)


@bp.get("/api/v1/me")
def me() -> ResponseReturnValue:
    """The token's user."""
    return user_json(api_user())


@bp.get("/api/v1/zones")
def zones() -> ResponseReturnValue:
    """The building's zones."""
    return paginate(sa.select(Zone).order_by(Zone.sort_order, Zone.code), zone_json)


@bp.get("/api/v1/spaces")
def spaces() -> ResponseReturnValue:
    """Spaces in use, optionally of one zone and only the bookable (or the leased) ones."""
    query = sa.select(Space).join(Space.zone).where(Space.active.is_(True))
    zone_code = query_text("zone")
    if zone_code is not None:
        query = query.where(Zone.code == zone_code)
    bookable = query_bool("bookable")
    if bookable is not None:
        query = query.where(Space.bookable.is_(bookable))
    query = query.options(selectinload(Space.zone)).order_by(Space.code)
    return paginate(query, space_json)


@bp.get(f"/api/v1/spaces/<{ID}:space_id>/availability")
def availability(space_id: int) -> ResponseReturnValue:
    """Open and busy times of a space on a local day."""
    day = query_day("date")
    if day is None:
        raise bad_request("date", MISSING)
    space = db.session.get(Space, space_id)
    if space is None:
        raise NotFound(_l("There is no space %(id)d.", id=space_id))
    return day_availability(space, day, api_user(), utcnow())
