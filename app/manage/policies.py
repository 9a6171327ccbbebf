"""Booking policy: free monthly hours per stage and limits per kind of space."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.manage import bp
from app.manage.policy_forms import AllowanceForm, KindLimitsForm
from app.models import SpaceKind, Stage
from app.services import policy
from app.web import staff_required

BOOKABLE_KINDS = list(policy.DEFAULT_LIMITS)


def _kind_form(kind: SpaceKind, formdata: object = None) -> KindLimitsForm:
    limits = policy.limits_for(kind)
    form = KindLimitsForm(formdata=formdata, prefix=kind.value)
    if formdata is None:
        form.max_hours.data = limits.max_minutes / 60
        form.advance_days.data = limits.advance_days
        form.buffer_minutes.data = limits.buffer_minutes
        form.requires_check_in.data = limits.requires_check_in
        form.counts_against_allowance.data = limits.counts_against_allowance
    return form


@bp.route("/policies", methods=["GET", "POST"])
@staff_required
def policies():
    allowance_form = AllowanceForm(
        formdata=request.form if request.form.get("form") == "allowances" else None,
        data={s.value: policy.monthly_allowance_minutes(s) / 60 for s in Stage},
    )
    posted_kind = request.form.get("form")
    kind_forms = {
        kind: _kind_form(kind, request.form if posted_kind == kind.value else None)
        for kind in BOOKABLE_KINDS
    }
    if request.method == "POST":
        if posted_kind == "allowances" and allowance_form.validate():
            for stage in Stage:
                hours = getattr(allowance_form, stage.value).data
                policy.save_allowance(current_user, stage, round(hours * 60))
            db.session.commit()
            flash(_("Allowances saved."), "ok")
            return redirect(url_for("manage.policies"))
        kinds = {kind.value: kind for kind in BOOKABLE_KINDS}
        form = kind_forms[kinds[posted_kind]] if posted_kind in kinds else None
        if form is not None and form.validate():
            limits = policy.KindLimits(
                max_minutes=round(form.max_hours.data * 60),
                advance_days=form.advance_days.data,
                buffer_minutes=form.buffer_minutes.data,
                requires_check_in=form.requires_check_in.data,
                counts_against_allowance=form.counts_against_allowance.data,
            )
            policy.save_limits(current_user, SpaceKind(posted_kind), limits)
            db.session.commit()
            flash(_("Limits saved."), "ok")
            return redirect(url_for("manage.policies"))
    return render_template(
        "manage/policies.html", allowance_form=allowance_form, kind_forms=kind_forms
    )
