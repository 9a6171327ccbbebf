"""working calendar

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 14:05:08.005399

The working calendar's own days: what managers declared (a make-up Saturday, an extra day off) and
the holidays they imported, each with its source and whether it is still provisional. Days not in
the table follow the official arrangement, then the statutory days fixed by law, then Mon–Fri.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('working', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('source', sa.Enum('official', 'law', 'manager', name='day_source', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('provisional', sa.Boolean(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_calendar_days_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_days'))
    )


def downgrade():
    op.drop_table('calendar_days')
