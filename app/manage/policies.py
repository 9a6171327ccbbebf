"""Booking policy: free monthly hours per stage and limits per kind of space."""

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from app.manage import bp
from app.manage.policy_forms import AllowanceForm, KindLimitsForm
from app.models import SpaceKind, Stage
from app.services import policy
from app.web import current_actor, service_call

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
def policies() -> ResponseReturnValue:
    """Free monthly hours per stage and limits per kind of space, each its own form."""
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
            with service_call(allowance_form) as call:
                for stage in Stage:
                    hours = getattr(allowance_form, stage.value).data
                    policy.save_allowance(current_actor(), stage, round(hours * 60))
            if call.ok:
                flash(_("Allowances saved."), "ok")
                return redirect(url_for("manage.policies"))
        kind = {kind.value: kind for kind in BOOKABLE_KINDS}.get(posted_kind or "")
        form = kind_forms[kind] if kind is not None else None
        if kind is not None and form is not None and form.validate():
            limits = policy.KindLimits(
                max_minutes=round(form.max_hours.data * 60),
                advance_days=form.advance_days.data,
                buffer_minutes=form.buffer_minutes.data,
                requires_check_in=form.requires_check_in.data,
                counts_against_allowance=form.counts_against_allowance.data,
            )
            with service_call(form) as call:
                policy.save_limits(current_actor(), kind, limits)
            if call.ok:
                flash(_("Limits saved."), "ok")
                return redirect(url_for("manage.policies"))
    return render_template(
        "manage/policies.html", allowance_form=allowance_form, kind_forms=kind_forms
    )
