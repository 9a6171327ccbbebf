"""The building's reference data held in memory: read once per revision, never stale, never
written through."""

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import ReferenceRevision, Role, Space, SpaceKind
from app.services import policy, reference, tokens
from app.services.reference import HeldInMemory
from tests.fixtures.factories import make_space, make_user
from tests.fixtures.queries import recorded_statements


def statements_of(work) -> list[str]:
    with recorded_statements() as statements:
        work()
    return statements


@pytest.fixture
def room(app) -> Space:
    room = make_space(kind=SpaceKind.MEETING_ROOM, code="MTG-201", name="会议室 201")
    db.session.commit()
    return room


def test_a_transaction_reads_one_row_while_nothing_changed(room) -> None:
    room_id = room.id
    reference.current()
    db.session.rollback()

    def read() -> None:
        held = reference.current()
        assert held.spaces[room_id].code == "MTG-201"
        assert policy.limits_for(SpaceKind.MEETING_ROOM).max_minutes == 240
        assert [space.code for space in held.bookable] == ["MTG-201"]

    selects = [s for s in statements_of(read) if s.startswith("SELECT")]
    assert len(selects) == 1 and "reference_revision" in selects[0]


def test_a_change_is_seen_by_the_next_transaction_of_every_server(app, room) -> None:
    room_id = room.id
    assert reference.current().spaces[room_id].name == "会议室 201"
    db.session.rollback()
    # Another app server (a connection and session of its own) renames the room.
    engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with Session(engine) as other:
            other.get_one(Space, room_id).name = "路演室"
            other.commit()
    finally:
        engine.dispose()
    assert reference.current().spaces[room_id].name == "路演室"


def test_reload_reference_picks_up_rows_changed_by_hand(app, room) -> None:
    room_id = room.id
    assert reference.current().spaces[room_id].name == "会议室 201"
    db.session.rollback()
    # A bulk statement (as typed in psql) passes by the ORM: the token stays as it was.
    db.session.execute(sa.update(Space).where(Space.id == room_id).values(name="路演室"))
    db.session.commit()
    assert reference.current().spaces[room_id].name == "会议室 201"
    db.session.rollback()
    result = app.test_cli_runner().invoke(args=["reload-reference"])
    assert result.exit_code == 0, result.output
    assert reference.current().spaces[room_id].name == "路演室"


def test_reload_reference_writes_the_row_a_restored_old_backup_lacks(app, room) -> None:
    db.session.execute(sa.delete(ReferenceRevision))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["reload-reference"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReferenceRevision)) == 1


def test_a_change_rolled_back_is_never_seen(room) -> None:
    reference.current()
    db.session.rollback()
    db.session.get(Space, room.id).name = "临时名称"
    db.session.flush()
    assert reference.current().spaces[room.id].name == "临时名称"  # its own transaction
    db.session.rollback()
    assert reference.current().spaces[room.id].name == "会议室 201"


def test_only_a_new_revision_reloads(room) -> None:
    """What the token protects: a change that did not go through the ORM is not seen until
    the revision changes (every change of the app does, in the flush that writes it)."""
    reference.current()
    db.session.rollback()
    db.session.execute(sa.update(Space).where(Space.id == room.id).values(name="绕过"))
    db.session.commit()
    assert reference.current().spaces[room.id].name == "会议室 201"
    db.session.rollback()
    db.session.execute(sa.update(ReferenceRevision).values(token="changed-elsewhere"))
    db.session.commit()
    assert reference.current().spaces[room.id].name == "绕过"


def test_a_held_copy_cannot_join_a_session(room) -> None:
    held = reference.current().spaces[room.id]
    with pytest.raises(HeldInMemory):
        db.session.add(held)
    assert db.session.get(Space, room.id) is not held


def test_the_api_reads_the_revision_with_the_token(app, client, room) -> None:
    """An availability call: the token (with its user and the revision), then the holds."""
    tenant = make_user(role=Role.TENANT)
    secret, _token = tokens.issue_token(tenant, "test")
    db.session.commit()
    room_id = room.id
    headers = {"Authorization": f"Bearer {secret}"}
    client.get(f"/api/v1/spaces/{room_id}/availability?date=2026-12-01", headers=headers)

    def call() -> None:
        answer = client.get(
            f"/api/v1/spaces/{room_id}/availability?date=2026-12-01", headers=headers
        )
        assert answer.status_code == 200

    selects = [s for s in statements_of(call) if s.startswith("SELECT")]
    assert len(selects) == 2, selects
    assert "reference_revision" in selects[0] and "api_tokens" in selects[0]
    assert "booking_holds" in selects[1]


def test_a_flush_keeps_it_and_a_savepoint_rolled_back_drops_it(room) -> None:
    held = reference.current()
    make_user(role=Role.TENANT)  # flushes a row that is no reference data
    assert statements_of(reference.current) == []
    assert reference.current() is held
    with pytest.raises(RuntimeError), db.session.begin_nested():
        db.session.get(Space, room.id).name = "半途而废"
        db.session.flush()
        assert reference.current().spaces[room.id].name == "半途而废"
        raise RuntimeError("the savepoint is rolled back")
    assert reference.current().spaces[room.id].name == "会议室 201"
