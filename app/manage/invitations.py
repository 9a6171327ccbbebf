"""Inviting people: the invitation form, the open invitations, resending and revoking them;
and a link to choose a new password, sent on someone's behalf."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload
from wtforms import SelectChoice

from app.extensions import db
from app.manage import bp
from app.manage.invitation_forms import InviteForm
from app.models import Invitation, Role, User
from app.services import invitations as invitation_service
from app.services import password_resets
from app.services.users import can_manage_user
from app.sqltypes import utcnow
from app.web import ROLE_LABELS, company_choices, current_actor, page_args, service_call
from app.web.bounds import parse_id


@bp.route("/invitations/new", methods=["GET", "POST"])
def invite() -> ResponseReturnValue:
    """Invite a person by e-mail: a tenant of a company, or (admins) a manager or admin."""
    actor = current_actor()
    form = InviteForm()
    form.role.choices = [
        SelectChoice(value=role.value, label=str(label))
        for role, label in ROLE_LABELS.items()
        if can_manage_user(actor, role)
    ]
    form.company_id.choices = company_choices()
    if request.method == "GET":
        form.company_id.data = request.args.get("company_id", type=parse_id)
    if form.validate_on_submit():
        with service_call(form) as call:
            invitation = invitation_service.invite(
                actor,
                email=form.email.data or "",
                name=form.name.data or "",
                role=Role(form.role.data),
                company_id=form.company_id.data,
                language=form.language.data or "zh_CN",
            )
        if call.ok:
            if invitation.times_sent > 1:
                message = _(
                    "%(email)s was already invited: the invitation was sent again.",
                    email=invitation.email,
                )
            else:
                message = _("Invitation sent to %(email)s.", email=invitation.email)
            flash(message, "ok")
            return redirect(url_for("manage.invitations"))
    existing = None
    if form.email.errors and form.email.data:
        existing = db.session.scalars(
            db.select(User).where(User.email == form.email.data.strip().lower())
        ).first()
    return render_template(
        "manage/invite.html",
        form=form,
        existing=existing,
        manageable_roles={role for role in Role if can_manage_user(actor, role)},
    )


@bp.route("/invitations")
def invitations() -> ResponseReturnValue:
    """Invitations not yet accepted: when sent, until when they work, resend or revoke."""
    query = invitation_service.open_invitations().options(
        joinedload(Invitation.company), joinedload(Invitation.invited_by)
    )
    page = db.paginate(query, **page_args())
    actor = current_actor()
    return render_template(
        "manage/invitations.html",
        page=page,
        now=utcnow(),
        manageable={role for role in Role if can_manage_user(actor, role)},
    )


def _invitation(invitation_id: int) -> Invitation:
    invitation = db.get_or_404(Invitation, invitation_id)
    if not invitation_service.may_manage_invitation(current_actor(), invitation):
        abort(403)
    return invitation


@bp.route("/invitations/<int:invitation_id>/resend", methods=["POST"])
def invitation_resend(invitation_id: int) -> ResponseReturnValue:
    """Send the invitation again with a fresh link (the old one stops working)."""
    invitation = _invitation(invitation_id)
    with service_call() as call:
        invitation_service.resend(current_actor(), invitation)
    if call.ok:
        flash(_("Invitation sent again to %(email)s.", email=invitation.email), "ok")
    return redirect(url_for("manage.invitations"))


@bp.route("/invitations/<int:invitation_id>/revoke", methods=["POST"])
def invitation_revoke(invitation_id: int) -> ResponseReturnValue:
    """Withdraw the invitation: its link stops working."""
    invitation = _invitation(invitation_id)
    with service_call() as call:
        invitation_service.revoke(current_actor(), invitation)
    if call.ok:
        flash(_("The invitation of %(email)s is withdrawn.", email=invitation.email), "ok")
    return redirect(url_for("manage.invitations"))


@bp.route("/people/<int:user_id>/send-password-link", methods=["POST"])
def person_password_link(user_id: int) -> ResponseReturnValue:
    """Mail the person a link to choose a new password (nobody else learns it)."""
    person = db.get_or_404(User, user_id)
    if not can_manage_user(current_actor(), person.role):
        abort(403)
    with service_call() as call:
        password_resets.request_reset(person.email)
    if call.ok:
        flash(
            _("A link to choose a new password was mailed to %(email)s.", email=person.email), "ok"
        )
    return redirect(url_for("manage.person_edit", user_id=person.id))
