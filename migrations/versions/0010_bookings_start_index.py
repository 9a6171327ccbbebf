"""bookings by start time

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 18:00:00.000000

Every company's bookings in a window, by start (the managers' lists, the bookings report), read
one range of this index: their start is bounded on both sides (see policy.LONGEST_BOOKING).
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.create_index("ix_bookings_start_at_id", ["start_at", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_index("ix_bookings_start_at_id")
