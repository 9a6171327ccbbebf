import re

import sqlalchemy as sa
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FloatField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
    ValidationError,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from app.extensions import db
from app.models import CompanyStatus, Role, Space, SpaceKind, Stage, Zone
from app.services.companies import normalise_uscc
from app.services.errors import RuleViolation
from app.web import (
    KIND_LABELS,
    LANGUAGE_NAMES,
    STAGE_LABELS,
    STATUS_LABELS,
    blank_choice,
    optional_id,
)
from app.web.forms import WebForm
from app.web.pickers import space_search

MAX_AREA_M2 = 100_000
MAX_EQUIPMENT_CHARS = 500


class CompanyForm(WebForm):
    name = StringField(_l("Company or team name"), validators=[DataRequired(), Length(max=100)])
    uscc = StringField(_l("Unified Social Credit Code"), validators=[Optional(), Length(max=30)])
    stage = SelectField(
        _l("Stage"),
        choices=[SelectChoice(stage.value, label) for stage, label in STAGE_LABELS.items()],
    )
    industry = StringField(_l("Industry"), validators=[Optional(), Length(max=60)])
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=60)])
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=30)])
    contact_email = EmailField(
        _l("Contact e-mail"), validators=[Optional(), Email(), Length(max=254)]
    )
    joined_on = DateField(_l("Joined on"), validators=[DataRequired()])
    graduated_on = DateField(_l("Graduated on"), validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(status.value, label) for status, label in STATUS_LABELS.items()],
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Save"))

    def validate_uscc(self, field: StringField) -> None:
        """Ask the company service's rule now, so a wrong check character is reported together
        with the form's other errors rather than on a second round."""
        try:
            normalise_uscc(field.data)
        except RuleViolation as problem:
            raise ValidationError(str(problem.message)) from None

    def values(self) -> dict:
        """The fields as keyword arguments for the company service."""
        return {
            "name": self.name.data,
            "uscc": self.uscc.data,
            "stage": Stage(self.stage.data),
            "industry": self.industry.data or "",
            "contact_name": self.contact_name.data or "",
            "contact_phone": self.contact_phone.data or "",
            "contact_email": (self.contact_email.data or "").strip().lower(),
            "joined_on": self.joined_on.data,
            "graduated_on": self.graduated_on.data,
            "status": CompanyStatus(self.status.data),
            "notes": self.notes.data or "",
        }


def zone_choices() -> list[SelectChoice]:
    """Every zone, in the building's order."""
    zones = db.session.scalars(sa.select(Zone).order_by(Zone.sort_order, Zone.code))
    locale = str(get_locale() or "zh_CN")
    return [
        SelectChoice(value=zone.id, label=f"{zone.code} {zone.display_name(locale)}")
        for zone in zones
    ]


def space_choices(query: sa.Select, blank: object) -> list[SelectChoice]:
    """The spaces ``query`` selects, grouped by zone and ordered by code."""
    locale = str(get_locale() or "zh_CN")
    spaces = db.session.scalars(
        query.join(Space.zone).order_by(Zone.sort_order, Zone.code, Space.code)
    )
    return [blank_choice(blank)] + [
        SelectChoice(
            value=space.id,
            label=gettext(
                "%(code)s %(name)s (%(zone)s, %(area)s m²)",
                code=space.code,
                name=space.display_name(locale),
                zone=space.zone.code,
                area=f"{space.area_m2:g}",
            ),
            optgroup=f"{space.zone.code} {space.zone.display_name(locale)}",
            render_kw=space_search(space),
        )
        for space in spaces
    ]


class ListField(StringField):
    """A list of short texts typed on one line, separated by commas (, ， 、 or ;)."""

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return ", ".join(self.data or [])

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist:
            parts = re.split(r"[,，、;；\n]", valuelist[0])
            self.data = [part.strip() for part in parts if part.strip()]


class PersonForm(WebForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=60)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=30)])
    role = SelectField(_l("Role"), default=Role.TENANT.value)
    company_id = SelectField(_l("Company"), coerce=optional_id)
    locale = SelectField(
        _l("Language"),
        default="zh_CN",
        choices=[SelectChoice(value=code, label=name) for code, name in LANGUAGE_NAMES.items()],
    )
    active = BooleanField(_l("Can sign in"), default=True)
    submit = SubmitField(_l("Save"))

    def values(self) -> dict:
        """The fields as keyword arguments for the user service (the company is looked up)."""
        return {
            "name": self.name.data or "",
            "email": self.email.data or "",
            "phone": self.phone.data or "",
            "role": Role(self.role.data),
            "locale": self.locale.data,
            "active": self.active.data,
        }


class ZoneForm(WebForm):
    name = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=60)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=80)])
    area_m2 = FloatField(
        _l("Area (m²)"), validators=[InputRequired(), NumberRange(min=0, max=MAX_AREA_M2)]
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    sort_order = IntegerField(
        _l("Position in lists"), default=0, validators=[InputRequired(), NumberRange(0, 9999)]
    )
    opens_at = TimeField(_l("Opens at"), validators=[InputRequired()])
    closes_at = TimeField(_l("Closes at"), validators=[InputRequired()])
    working_days_only = BooleanField(_l("Open on working days only (statutory calendar)"))
    submit = SubmitField(_l("Save"))

    def values(self) -> dict:
        """The fields as keyword arguments for the zone service."""
        return {
            "name": self.name.data or "",
            "name_en": self.name_en.data or "",
            "area_m2": self.area_m2.data,
            "description": self.description.data or "",
            "sort_order": self.sort_order.data,
            "opens_at": self.opens_at.data,
            "closes_at": self.closes_at.data,
            "working_days_only": self.working_days_only.data,
        }


class SpaceForm(WebForm):
    zone_id = SelectField(_l("Zone"), coerce=optional_id, validators=[DataRequired()])
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=20)])
    name = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=60)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=80)])
    kind = SelectField(
        _l("Kind"),
        choices=[
            SelectChoice(value=kind.value, label=label) for kind, label in KIND_LABELS.items()
        ],
    )
    area_m2 = FloatField(
        _l("Area (m²)"), validators=[InputRequired(), NumberRange(min=0, max=MAX_AREA_M2)]
    )
    capacity = IntegerField(
        _l("Seats"), default=0, validators=[InputRequired(), NumberRange(min=0, max=10000)]
    )
    equipment = ListField(_l("Equipment"))
    bookable = BooleanField(_l("Tenants can book it"))
    requires_approval = BooleanField(_l("Bookings need a manager's approval"))
    active = BooleanField(_l("In use"), default=True)
    parent_id = SelectField(_l("Part of"), coerce=optional_id)
    submit = SubmitField(_l("Save"))

    def validate_equipment(self, field: ListField) -> None:
        if len(", ".join(field.data or [])) > MAX_EQUIPMENT_CHARS:
            raise ValidationError(
                _l("Keep the list under %(count)d characters.", count=MAX_EQUIPMENT_CHARS)
            )

    def values(self) -> dict:
        """The fields as keyword arguments for the space service (zone and parent looked up)."""
        return {
            "code": self.code.data or "",
            "name": self.name.data or "",
            "name_en": self.name_en.data or "",
            "kind": SpaceKind(self.kind.data),
            "area_m2": self.area_m2.data,
            "capacity": self.capacity.data,
            "equipment": self.equipment.data or [],
            "bookable": self.bookable.data,
            "requires_approval": self.requires_approval.data,
            "active": self.active.data,
        }


class LeaseForm(WebForm):
    company_id = SelectField(_l("Company"), coerce=optional_id, validators=[DataRequired()])
    space_id = SelectField(_l("Space"), coerce=optional_id, validators=[DataRequired()])
    starts_on = DateField(_l("From"), validators=[DataRequired()])
    ends_on = DateField(_l("Until (included)"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Save"))

    def validate_ends_on(self, field: DateField) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The lease cannot end before it starts."))

    def values(self) -> dict:
        """The dates and notes as keyword arguments for the lease service."""
        return {
            "starts_on": self.starts_on.data,
            "ends_on": self.ends_on.data,
            "notes": self.notes.data or "",
        }
