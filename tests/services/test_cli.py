"""The command-line tasks an operator runs: create-user and seed-demo."""

from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.models import LEASABLE_KINDS, Company, Lease, Role, Space, Stage, User, Zone
from app.services.users import authenticate
from tests.fixtures.factories import make_company


def test_create_user_reads_the_password_from_a_pipe(app) -> None:
    make_company(name="四川护能科技有限公司")
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "Zhang.Wei@Example.cn",
            "--role",
            "tenant",
            "--company",
            "四川护能科技有限公司",
            "--name",
            "张伟",
        ],
        input="s3cret-pass\ns3cret-pass\n",
    )
    assert result.exit_code == 0, result.output
    user = authenticate("zhang.wei@example.cn", "s3cret-pass")
    assert user is not None
    assert user.name == "张伟"
    assert user.company.name == "四川护能科技有限公司"


def test_create_user_refuses_mismatched_passwords(app) -> None:
    result = app.test_cli_runner().invoke(
        args=["create-user", "boss@example.cn", "--role", "admin"],
        input="first-pass-1\nsecond-pass-2\n",
    )
    assert result.exit_code != 0
    assert "do not match" in result.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_create_user_needs_a_known_company_for_a_tenant(app) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-user", "t@example.cn", "--company", "不存在的公司"],
        input="long-enough\nlong-enough\n",
    )
    assert result.exit_code != 0
    assert "不存在的公司" in result.output


def test_seed_demo_builds_the_incubator_once(app) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    counts = {
        model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Zone, Space, Company, Lease, User)
    }
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    again = {
        model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Zone, Space, Company, Lease, User)
    }
    assert again == counts
    assert counts["Zone"] == 11
    assert 50 <= counts["Company"] <= 70
    assert "manager@czg.example.cn" in first.output

    names = set(db.session.scalars(sa.select(Company.name)))
    assert {"四川护能科技有限公司", "四川越成科技有限公司"} <= names
    stages = set(db.session.scalars(sa.select(Company.stage)))
    assert stages == set(Stage)
    roles = set(db.session.scalars(sa.select(User.role)))
    assert roles == set(Role)


def test_seed_demo_leases_about_85_percent(app) -> None:
    app.test_cli_runner().invoke(args=["seed-demo"])
    today = date.today()
    leasable = db.session.scalar(
        sa.select(sa.func.sum(Space.area_m2)).where(Space.kind.in_(LEASABLE_KINDS))
    )
    leased = db.session.scalar(
        sa.select(sa.func.sum(Space.area_m2))
        .join(Lease, Lease.space_id == Space.id)
        .where(Lease.starts_on <= today, sa.or_(Lease.ends_on.is_(None), Lease.ends_on >= today))
    )
    assert 0.80 <= leased / leasable <= 0.90
