"""Forms of the approvals queue."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from app.web.forms import WebForm

REASON_MAX = 500


class DecisionForm(WebForm):
    """Approve, or reject with a reason, one request or several selected at once."""

    booking_id = SelectMultipleField(
        _l("Requests"),
        coerce=int,
        validate_choice=False,  # the service decides what may still be decided
        validators=[DataRequired(message=_l("Select at least one request."))],
    )
    action = SelectField(
        _l("Decision"),
        choices=[SelectChoice("approve", _l("Approve")), SelectChoice("reject", _l("Reject"))],
    )
    reason = StringField(_l("Reason for the company"), validators=[Length(max=REASON_MAX)])

    def validate_reason(self, field: StringField) -> None:
        if self.action.data == "reject" and not (field.data or "").strip():
            raise ValidationError(_l("Say why you reject, so the company knows."))
