"""The migrations build exactly the schema the models describe, on this run's database."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db
from app.sqltypes import render_migration_item


def test_models_and_migrations_agree(app) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "render_item": render_migration_item},
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_database_keeps_its_check_constraints(app) -> None:
    import pytest
    import sqlalchemy as sa

    from app.models import Company, Stage

    db.session.add(
        Company(
            name="无代码公司", stage=Stage.INCUBATED, uscc=None, joined_on=sa.func.current_date()
        )
    )
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
