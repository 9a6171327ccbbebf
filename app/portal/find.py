"""Find a space: the spaces free for a slot, best fit first, else free times nearby that day."""

from datetime import time, timedelta

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from wtforms import SelectChoice

from app.i18n import select_locale
from app.models import Space, SpaceKind
from app.portal import bp
from app.portal.book import default_slot
from app.portal.forms import TIMES, FindForm
from app.services import reference
from app.services.equipment import equipment_label, equipment_labels
from app.services.finder import BOOKABLE_KINDS, Wish, find_spaces
from app.services.localtime import local_datetime
from app.sqltypes import utcnow
from app.web import current_actor
from app.web.labels import KIND_LABELS


def find_form(spaces: list[Space], locale: str) -> FindForm:
    """The search form, on the next free quarter hour, offering the zones, kinds and equipment
    of ``spaces`` in the reader's language."""
    day, start, _end = default_slot(utcnow())
    form = FindForm(
        formdata=request.args or None,
        data={"date": day, "start": start if start in TIMES[:-2] else "09:00"},
    )
    zones = {space.zone.id: space.zone for space in spaces}
    form.zone_id.choices = [SelectChoice("", _("All zones"))] + [
        SelectChoice(zone.id, f"{zone.code} {zone.display_name(locale)}") for zone in zones.values()
    ]
    kinds = {space.kind for space in spaces}
    form.kind.choices = [SelectChoice("", _("All kinds"))] + [
        SelectChoice(kind.value, KIND_LABELS[kind]) for kind in BOOKABLE_KINDS if kind in kinds
    ]
    kit = {
        item: equipment_label(item, locale) for space in spaces for item in space.equipment or []
    }
    form.equipment.choices = [
        SelectChoice(item, label) for item, label in sorted(kit.items(), key=lambda pair: pair[1])
    ]
    return form


@bp.route("/find")
@login_required
def find() -> ResponseReturnValue:
    """Which spaces are free for a slot, best fit first; else free times nearby that day."""
    locale = select_locale()
    spaces = reference.current().bookable
    form = find_form(spaces, locale)
    found = None
    if form.validate():
        now = utcnow()
        start = local_datetime(form.date.data, time.fromisoformat(form.start.data))
        if start < now:
            form.start.errors = [*form.start.errors, _("This time has passed; choose a later one.")]
        if form.zone_id.data:
            spaces = [space for space in spaces if space.zone_id == form.zone_id.data]
        wish = Wish(
            start,
            timedelta(minutes=form.duration.data),
            form.people.data,
            frozenset({SpaceKind(form.kind.data)} if form.kind.data else ()),
            frozenset(form.equipment.data or []),
        )
        found = find_spaces(current_actor(), spaces, wish, now)
    return render_template(
        "portal/find.html", form=form, found=found, equipment_labels=equipment_labels
    )
