"""The notifications page: the list, the unread count in the menu, marking read, the settings."""

import re

import sqlalchemy as sa

from app.extensions import db
from app.models import Notification, NotificationPreference, OutgoingMail, Role
from app.services import notifications as notices
from app.sqltypes import utcnow
from tests.conftest import csrf_token
from tests.fixtures.bookings import DAY, book, local, meeting_room
from tests.fixtures.queries import recorded_statements


def notify(user, count: int = 1) -> list[Notification]:
    """``count`` confirmed bookings of a meeting room, each telling ``user``."""
    room = meeting_room()
    db.session.commit()
    made = []
    for hour in range(count):
        start = local(DAY, f"{9 + hour:02d}:00")
        book(user, room, start, start.replace(minute=30))
        db.session.commit()
        made.append(
            db.session.scalars(
                sa.select(Notification)
                .where(Notification.user_id == user.id)
                .order_by(Notification.id.desc())
            ).first()
        )
    return made


def unread_badge(html: str) -> str | None:
    match = re.search(
        r'href="/notifications">[^<]*<span class="badge count"[^>]*>(\d+\+?)</span>', html
    )
    return match.group(1) if match else None


def test_the_list_shows_newest_first_with_the_unread_count(signed_in) -> None:
    client, user = signed_in(Role.TENANT)
    first, second = notify(user, 2)
    page = client.get("/notifications")
    assert page.status_code == 200
    assert page.text.index(f'id="notification-{second.id}"') < page.text.index(
        f'id="notification-{first.id}"'
    )
    assert unread_badge(page.text) == "2"
    assert unread_badge(client.get("/").text) == "2"


def test_a_page_reads_the_unread_count_with_the_signed_in_user(signed_in) -> None:
    client, user = signed_in(Role.TENANT)
    notify(user, 2)
    with recorded_statements() as statements:
        page = client.get("/timeline")
    counting = [statement for statement in statements if "read_at IS NULL" in statement]
    assert unread_badge(page.text) == "2"
    assert len(counting) == 1 and "user_sessions" in counting[0]  # no query of its own


def test_beyond_99_unread_the_badge_reads_99_plus(signed_in) -> None:
    client, user = signed_in(Role.TENANT)
    db.session.add_all(
        Notification(user_id=user.id, event="confirmed", title="t", body="b", created_at=utcnow())
        for _ in range(120)
    )
    db.session.commit()
    page = client.get("/")
    assert unread_badge(page.text) == "99+"
    assert 'aria-label="超过 99 条未读"' in page.text
    assert notices.unread_count(user) == 100  # counted no further than the badge needs


def test_another_persons_notifications_are_not_listed(signed_in, make_user) -> None:
    client, _user = signed_in(Role.TENANT)
    (theirs,) = notify(make_user(role=Role.TENANT))
    page = client.get("/notifications")
    assert f"notification-{theirs.id}" not in page.text
    assert unread_badge(page.text) is None


def test_marking_one_read_lowers_the_count(signed_in) -> None:
    client, user = signed_in(Role.TENANT)
    first, second = notify(user, 2)
    page = client.get("/notifications")
    response = client.post(
        f"/notifications/{first.id}/read",
        data={"csrf_token": csrf_token(page.text), "next": "/notifications"},
    )
    assert response.status_code == 302
    db.session.rollback()  # end the test's read snapshot
    assert db.session.get(Notification, first.id).read_at is not None
    assert db.session.get(Notification, second.id).read_at is None
    assert unread_badge(client.get("/notifications").text) == "1"


def test_nobody_marks_another_persons_notification_read(signed_in, make_user) -> None:
    client, _user = signed_in(Role.TENANT)
    (theirs,) = notify(make_user(role=Role.TENANT))
    page = client.get("/notifications")
    client.post(f"/notifications/{theirs.id}/read", data={"csrf_token": csrf_token(page.text)})
    db.session.rollback()  # end the test's read snapshot
    assert db.session.get(Notification, theirs.id).read_at is None


def test_marking_all_read_clears_the_badge(signed_in) -> None:
    client, user = signed_in(Role.TENANT)
    notify(user, 3)
    page = client.get("/notifications")
    response = client.post("/notifications/read", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert unread_badge(page.text) is None
    assert "/notifications/read" not in page.text  # no "mark all read" button left


def test_settings_are_saved_and_followed(signed_in) -> None:
    client, user = signed_in(Role.TENANT)
    page = client.get("/notifications")
    assert 'value="approval_requested"' not in page.text  # a manager's event
    response = client.post(
        "/notifications/preferences",
        data={
            "csrf_token": csrf_token(page.text),
            "mail_events": ["approved", "reminder"],
            "reminder_minutes": "15",
        },
    )
    assert response.status_code == 302, response.text
    db.session.rollback()  # end the test's read snapshot
    saved = db.session.get(NotificationPreference, user.id)
    assert saved.reminder_minutes == 15
    assert "confirmed" in saved.muted_mail_events and "approved" not in saved.muted_mail_events
    page = client.get("/notifications")
    assert re.search(r'value="approved"[^>]*checked|checked[^>]*value="approved"', page.text)
    assert not re.search(r'value="confirmed"[^>]*checked|checked[^>]*value="confirmed"', page.text)
    notify(user)  # confirmed: told in the app, not by mail
    assert db.session.scalar(sa.select(sa.func.count(OutgoingMail.id))) == 0


def test_an_unknown_reminder_time_is_refused(signed_in) -> None:
    client, user = signed_in(Role.TENANT)
    page = client.get("/notifications")
    response = client.post(
        "/notifications/preferences",
        data={"csrf_token": csrf_token(page.text), "reminder_minutes": "7"},
    )
    assert response.status_code == 302  # back to the page: a reload never posts again
    assert db.session.get(NotificationPreference, user.id) is None
    shown = client.get(response.headers["Location"]).text
    summary = shown.split('id="error-summary"')[1].split("</div>")[0]
    assert '<a href="#reminder_minutes">' in summary
    assert 'id="reminder_minutes-error"' in shown
    assert 'id="error-summary"' not in client.get("/notifications").text  # said once


def test_a_manager_can_choose_approval_requests(signed_in) -> None:
    client, _user = signed_in(Role.MANAGER)
    assert 'value="approval_requested"' in client.get("/notifications").text


def test_signed_out_visitors_are_sent_to_sign_in(client) -> None:
    response = client.get("/notifications")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_the_menu_links_to_notifications_even_with_none(signed_in) -> None:
    client, _user = signed_in(Role.TENANT)
    page = client.get("/")
    assert 'href="/notifications"' in page.text
    assert unread_badge(page.text) is None
