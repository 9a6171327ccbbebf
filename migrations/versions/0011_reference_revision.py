"""reference revision

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 20:30:00.000000

One row whose token changes with every change to zones, spaces, closures, booking policy or the
working calendar: app servers keep those in memory while it stays the same.
"""

import uuid

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    revision_table = op.create_table(
        "reference_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference_revision")),
    )
    op.bulk_insert(revision_table, [{"id": 1, "token": uuid.uuid4().hex}])


def downgrade():
    op.drop_table("reference_revision")
