"""Notifications: what a person is told in the app, the e-mails queued for them, their choices."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Base
from app.sqltypes import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from app.models.user import User


class Notification(Base):
    """One message to one person, written in their language when it was created.

    ``once_key`` marks the notices the worker produces (reminders, leases ending): unique per
    person, so running the worker twice, or two workers at once, never tells anyone twice.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "once_key"),
        sa.Index("ix_notifications_user_id_created_at", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(sa.String(30))
    booking_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("bookings.id", ondelete="SET NULL")
    )
    lease_id: Mapped[int | None] = mapped_column(sa.ForeignKey("leases.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    once_key: Mapped[str | None] = mapped_column(sa.String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped["User"] = relationship()


class MailStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class OutgoingMail(Base):
    """An e-mail waiting for the worker, or the record of one it sent or gave up on."""

    __tablename__ = "outgoing_mails"
    __table_args__ = (
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        sa.Index("ix_outgoing_mails_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for the mails of an account (invitation, new password), which are no notification.
    notification_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("notifications.id", ondelete="CASCADE"), index=True
    )
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    attachment_ics: Mapped[str | None] = mapped_column(sa.Text)
    # The bookings whose calendar file the mail carries, in order: the worker writes the file
    # into ``attachment_ics`` when it first claims the mail, and sends that same file on a retry.
    ics_booking_ids: Mapped[list[int] | None] = mapped_column(sa.JSON)
    status: Mapped[MailStatus] = mapped_column(
        enum_column(MailStatus, "mail_status"), default=MailStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    notification: Mapped[Notification | None] = relationship()


class NotificationPreference(Base):
    """A person's choices; no row means the defaults (every event by mail, reminder 1 h before).

    The events *not* wanted by mail are stored, so an event added later is mailed by default.
    """

    __tablename__ = "notification_preferences"
    __table_args__ = (sa.CheckConstraint("reminder_minutes >= 0", name="reminder_not_negative"),)

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    reminder_minutes: Mapped[int] = mapped_column(default=60)  # 0: no reminders
    muted_mail_events: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
