"""mail calendar bookings

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26 21:00:00.000000

A notice's mail names the bookings its calendar file shows; the mail worker writes the file when
it claims the mail, instead of the request that made the booking.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outgoing_mails", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ics_booking_ids", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("outgoing_mails", schema=None) as batch_op:
        batch_op.drop_column("ics_booking_ids")
