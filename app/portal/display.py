"""The door display of a room: a page for a tablet fixed outside it, no sign-in, the secret key
in its address. It shows whether the room is taken now, until when, what comes next, and the
QR code that opens the current booking's check-in on a phone; it reloads itself every minute.
"""

from datetime import datetime

from flask import abort, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from app.extensions import limiter
from app.models import Booking
from app.portal import bp
from app.render.qr import qr_svg
from app.services import door_displays
from app.services.booking_permissions import check_in_minutes
from app.services.links import page_url
from app.services.localtime import to_local

REFRESH_SECONDS = 60
# A tablet reloads once a minute; several rooms' tablets may share the building's address.
DEFAULT_RATE_LIMIT = "20 per minute"


def _rate_limit() -> str:
    return str(current_app.config.get("DOOR_DISPLAY_RATE_LIMIT", DEFAULT_RATE_LIMIT))


def _per_address_and_room() -> str:
    return f"{get_remote_address()}|{request.path}"


def clock(moment: datetime) -> str:
    """Local ``HH:MM``."""
    return f"{to_local(moment):%H:%M}"


def check_in_url(booking: Booking) -> str:
    """The booking's page on a phone, where its company's people check in: under PUBLIC_URL
    when set (the tablet may reach the app by another name than phones do), else as asked."""
    return page_url("portal.booking", booking_id=booking.id) or url_for(
        "portal.booking", booking_id=booking.id, _external=True
    )


@bp.get("/display/<space_code>")
@limiter.limit(_rate_limit, key_func=_per_address_and_room)
def door_display(space_code: str) -> ResponseReturnValue:
    """A room's door display: now, next, free until, and the check-in QR code; 404 without
    the room's current key."""
    display = door_displays.display_for_key(space_code, request.args.get("key", ""))
    if display is None:
        abort(404)
    state = door_displays.door_state(display.space)
    qr = None
    if state.check_in is not None:
        qr = qr_svg(check_in_url(state.check_in), _("QR code: check in to this booking"))
    before, after = check_in_minutes()
    body = render_template(
        "portal/door_display.html",
        state=state,
        qr=qr,
        refresh=REFRESH_SECONDS,
        check_in_minutes={"before": before, "after": after},
        clock=clock,
        now_iso=to_local(state.now).isoformat(timespec="minutes"),
    )
    return (
        body,
        200,
        {
            "Cache-Control": "no-store",
            "X-Robots-Tag": "noindex",
            # The key is in the address: never send it on to another site.
            "Referrer-Policy": "no-referrer",
        },
    )
