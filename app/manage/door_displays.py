"""The door display of a bookable room: a manager creates it or gives it a new address.

The key is stored only as a hash, so the address is shown once, right after it was made, as
text and as a QR code the tablet's camera can open.
"""

from flask import abort, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from app.extensions import db
from app.manage import bp
from app.models import Space
from app.render.qr import qr_svg
from app.services import door_displays
from app.services.links import page_url
from app.web import current_actor, service_call


def display_url(space: Space, key: str) -> str:
    """The tablet's address: under PUBLIC_URL when set, else the address this page was asked at."""
    values = {"space_code": space.code, "key": key}
    return page_url("portal.door_display", **values) or url_for(
        "portal.door_display", _external=True, **values
    )


@bp.post("/spaces/<int:space_id>/door-display")
def door_display_issue(space_id: int) -> ResponseReturnValue:
    """Create the room's door display, or give it a new address; show the address once."""
    space = db.get_or_404(Space, space_id)
    if not (space.bookable and space.active):
        abort(404)
    with service_call() as call:
        key = door_displays.issue_display(current_actor(), space)
    if not call.ok:
        abort(409)
    url = display_url(space, key)
    # Shown on the page rather than flashed: a flash would keep the key in the cookie.
    return render_template(
        "manage/door_display.html",
        space=space,
        url=url,
        qr=qr_svg(url, _("QR code of the door display's address")),
    )
