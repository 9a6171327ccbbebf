"""door displays

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 17:50:00.000000

The tablet outside a bookable room opens a secret URL; one per room, only the SHA-256 of its
key is stored.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "door_displays",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rotated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["space_id"],
            ["spaces.id"],
            name=op.f("fk_door_displays_space_id_spaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_door_displays")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_door_displays_key_hash")),
        sa.UniqueConstraint("space_id", name=op.f("uq_door_displays_space_id")),
    )


def downgrade():
    op.drop_table("door_displays")
