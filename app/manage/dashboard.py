import sqlalchemy as sa
from flask import render_template

from app.extensions import db
from app.manage import bp
from app.models import LEASABLE_KINDS, Company, CompanyStatus, Lease, Space, Stage, Zone
from app.web import staff_required, today_local


@bp.route("/")
@staff_required
def dashboard():
    today = today_local()
    by_stage = dict(
        db.session.execute(
            sa.select(Company.stage, sa.func.count())
            .where(Company.status == CompanyStatus.ACTIVE)
            .group_by(Company.stage)
        ).all()
    )
    leased_now = sa.and_(
        Lease.starts_on <= today, sa.or_(Lease.ends_on.is_(None), Lease.ends_on >= today)
    )
    zones = db.session.execute(
        sa.select(
            Zone,
            sa.func.coalesce(sa.func.sum(Space.area_m2), 0).label("leasable"),
            sa.func.coalesce(
                sa.func.sum(sa.case((Lease.id.is_not(None), Space.area_m2), else_=0)), 0
            ).label("leased"),
        )
        .outerjoin(Space, sa.and_(Space.zone_id == Zone.id, Space.kind.in_(LEASABLE_KINDS)))
        .outerjoin(Lease, sa.and_(Lease.space_id == Space.id, leased_now))
        .group_by(Zone.id)
        .order_by(Zone.sort_order, Zone.code)
    ).all()
    return render_template(
        "manage/dashboard.html", by_stage=by_stage, stages=list(Stage), zones=zones, today=today
    )
