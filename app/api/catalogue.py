"""Who am I, the zones, the spaces and a space's day: what a client reads before booking."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.api import bp
from app.api.auth import api_user
from app.api.errors import bad_request
from app.api.parsing import (
    ID,
    MISSING,
    page_args,
    query_bool,
    query_day,
    query_int,
    query_text,
    query_words,
    to_moment,
)
from app.api.serializers import free_space_json, space_json, user_json, zone_json
from app.extensions import db
from app.models import Space, SpaceKind, Zone
from app.services import reference
from app.services.availability import day_availability
from app.services.equipment import stored_name
from app.services.errors import NotFound, RuleViolation
from app.services.finder import BOOKABLE_KINDS, Wish, check_slot, find_spaces
from app.sqltypes import utcnow


def paginate(query: sa.Select[Any], serialise: Any, *, rows: bool = False) -> dict[str, Any]:
    """One page of ``query``'s results in the list envelope: its one entity, or with ``rows``
    its rows of columns, each ``serialise``d."""
    page, per_page = page_args()
    found = db.session.execute(query.limit(per_page).offset((page - 1) * per_page))
    items = found.all() if rows else found.scalars().all()
    counted = sa.select(sa.func.count()).select_from(query.order_by(None).subquery())
    return {
        "items": [serialise(item) for item in items],
        "page": page,
        "per_page": per_page,
        "total": db.session.scalar(counted),
    }


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
    space = reference.current().spaces.get(space_id)
    if space is None:
        raise NotFound(_l("There is no space %(id)d.", id=space_id))
    return day_availability(space, day, api_user(), utcnow())


def _moment(key: str) -> datetime:
    """A required date and time in the query string (a date alone is not enough)."""
    text = query_text(key)
    if text is None:
        raise bad_request(key, MISSING)
    return to_moment(text, key)


MAX_WISHES = 20  # kinds or pieces of equipment asked for at once
EQUIPMENT_MAX = 60  # characters of one piece of equipment


def _wished_kinds() -> frozenset[SpaceKind]:
    kinds = query_words("kind")
    allowed = [kind.value for kind in BOOKABLE_KINDS]
    if len(kinds) > MAX_WISHES or not set(kinds) <= set(allowed):
        raise bad_request("kind", _l("Give one of: %(values)s.", values=", ".join(allowed)))
    return frozenset(SpaceKind(kind) for kind in kinds)


def _wished_equipment() -> frozenset[str]:
    items = query_words("equipment")
    if len(items) > MAX_WISHES or any(len(item) > EQUIPMENT_MAX for item in items):
        raise RuleViolation("equipment", _l("At most %(count)d characters.", count=EQUIPMENT_MAX))
    return frozenset(stored_name(item) for item in items)


@bp.get("/api/v1/spaces/free")
def free_spaces() -> ResponseReturnValue:
    """Spaces free for the whole slot that fit the attendees, kinds and equipment, best fit
    first (app/services/finder.py)."""
    start, end = _moment("start"), _moment("end")
    attendees = query_int("attendees")
    if attendees is not None and attendees < 1:
        raise RuleViolation("attendees", _l("At least one person attends."))
    wish = Wish(start, end - start, attendees, _wished_kinds(), _wished_equipment())
    page, per_page = page_args()
    now = utcnow()
    check_slot(start, end, now)
    spaces = reference.current().bookable
    found = find_spaces(api_user(), spaces, wish, now)
    shown = found.free[(page - 1) * per_page : page * per_page]
    return {
        "items": [free_space_json(slot.space, found.fit(slot.space)) for slot in shown],
        "page": page,
        "per_page": per_page,
        "total": len(found.free),
    }
