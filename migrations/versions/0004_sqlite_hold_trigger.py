"""SQLite: refuse overlapping active holds in the database too

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

PostgreSQL has the exclusion constraint of 0002. SQLite has no such constraint; its requests
already serialise their writes (BEGIN IMMEDIATE), and this trigger is the backstop behind the
friendly check, reading the (space_id, end_at) index.
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TRIGGER = """
CREATE TRIGGER tr_booking_holds_no_overlap
BEFORE INSERT ON booking_holds
WHEN NEW.active AND EXISTS (
    SELECT 1 FROM booking_holds AS other
    WHERE other.space_id = NEW.space_id
      AND other.active
      AND other.end_at > NEW.start_at
      AND other.start_at < NEW.end_at
)
BEGIN
    SELECT RAISE(ABORT, 'booking_holds overlap');
END
"""


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute(TRIGGER)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER tr_booking_holds_no_overlap")
