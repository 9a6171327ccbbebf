"""What notifications say and the calendar file a mail carries.

Called inside ``force_locale``: ``_`` answers in the reader's language.
"""

from datetime import date, datetime
from typing import Any

from flask import current_app
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from icalendar import Calendar

from app.models import (
    Booking,
    Lease,
    User,
)
from app.services.booking_rules import PENDING_OVER_ALLOWANCE
from app.services.ical import booking_calendar, space_label
from app.services.links import page_url
from app.services.localtime import to_local


def when_text(booking: Booking) -> str:
    """Local day, weekday and times: 2026-09-08 周二 10:00–11:00."""
    return span_text(booking.start_at, booking.end_at)


def span_text(start_at: datetime, end_at: datetime) -> str:
    """Local day, weekday and times of a span: 2026-09-08 周二 10:00–11:00."""
    start, end = to_local(start_at), to_local(end_at)
    return (
        f"{start.date().isoformat()} {format_date(start.date(), 'EEE')} {start:%H:%M}–{end:%H:%M}"
    )


def change_lines(booking: Booking, locale: str, details: dict[str, Any]) -> list[str]:
    """What a change did, one line per changed thing: "Time: old → new"."""
    was = details["was"]
    old_when = span_text(datetime.fromisoformat(was["start"]), datetime.fromisoformat(was["end"]))
    lines = []
    if old_when != when_text(booking):
        lines.append(_("Time: %(old)s → %(new)s", old=old_when, new=when_text(booking)))
    old_space = details.get("old_space")
    if old_space is not None and old_space.id != booking.space_id:
        lines.append(
            _(
                "Space: %(old)s → %(new)s",
                old=space_label(old_space, locale),
                new=space_label(booking.space, locale),
            )
        )
    if was["title"] != booking.title:
        lines.append(_("Title: %(old)s → %(new)s", old=was["title"], new=booking.title))
    if was["attendees"] != booking.attendees:
        lines.append(
            _("Number of people: %(old)d → %(new)d", old=was["attendees"], new=booking.attendees)
        )
    return lines


def booking_texts(
    event: str, booking: Booking, locale: str, details: dict[str, Any]
) -> tuple[str, str]:
    facts = {
        "title": booking.title,
        "space": space_label(booking.space, locale),
        "when": when_text(booking),
        "company": booking.company.name,
    }
    reason = details.get("reason") or ""
    if event == "confirmed":
        title = _("Booking confirmed: %(space)s", **facts)
        body = _("Your booking “%(title)s” of %(space)s on %(when)s is confirmed.", **facts)
    elif event == "pending":
        title = _("Request received: %(space)s", **facts)
        if booking.reason == PENDING_OVER_ALLOWANCE:
            body = _(
                "Your request “%(title)s” for %(space)s on %(when)s is over your company's free "
                "hours and waits for a manager's approval.",
                **facts,
            )
        else:
            body = _(
                "Your request “%(title)s” for %(space)s on %(when)s waits for a manager's "
                "approval.",
                **facts,
            )
    elif event == "approval_requested":
        title = _("To approve: %(space)s for %(company)s", **facts)
        body = ngettext(
            "%(company)s asks for %(space)s on %(when)s: “%(title)s”, %(num)d person.",
            "%(company)s asks for %(space)s on %(when)s: “%(title)s”, %(num)d people.",
            booking.attendees,
            **facts,
        )
    elif event == "approved":
        title = _("Request approved: %(space)s", **facts)
        body = _("Your request “%(title)s” for %(space)s on %(when)s is approved.", **facts)
    elif event == "rejected":
        title = _("Request declined: %(space)s", **facts)
        body = _("Your request “%(title)s” for %(space)s on %(when)s was declined.", **facts)
    elif event == "cancelled":
        title = _("Booking cancelled: %(space)s", **facts)
        body = _(
            "Your booking “%(title)s” of %(space)s on %(when)s was cancelled by %(person)s.",
            person=canceller(booking, details),
            **facts,
        )
    elif event == "series_cancelled":
        count = details["count"]
        title = _("Bookings cancelled: %(space)s", **facts)
        body = ngettext(
            "%(num)d booking of the series “%(title)s” in %(space)s, from %(when)s, was "
            "cancelled by %(person)s.",
            "%(num)d bookings of the series “%(title)s” in %(space)s, from %(when)s, were "
            "cancelled by %(person)s.",
            count,
            person=canceller(booking, details),
            **facts,
        )
    elif event == "changed":
        title = _("Booking changed: %(space)s", **facts)
        body = _(
            "Your booking “%(title)s” of %(space)s on %(when)s was changed by %(person)s.",
            person=details.get("person") or _("the incubator's management"),
            **facts,
        )
        body = "\n".join([body, *change_lines(booking, locale, details)])
        if booking.status.value == "pending":
            body += "\n" + _("It now waits for a manager's approval.")
    elif event == "reminder":
        title = _("Soon: “%(title)s” in %(space)s", **facts)
        body = _("Your booking “%(title)s” of %(space)s starts on %(when)s.", **facts)
    else:
        raise ValueError(f"unknown booking notification {event!r}")
    if details.get("count", 1) > 1 and event != "series_cancelled":
        body += "\n" + ngettext(
            "The series has %(num)d such booking, the last on %(day)s.",
            "The series has %(num)d such bookings, the last on %(day)s.",
            details["count"],
            day=details["last"],
        )
    if reason:
        body = f"{body}\n{_('Reason: %(reason)s', reason=reason)}"
    return title, body


def canceller(booking: Booking, details: dict[str, Any]) -> str:
    if details.get("by_manager") or booking.decided_by is None:
        return _("the incubator's management")
    return booking.decided_by.name


def lease_texts(lease: Lease, locale: str, today: date) -> tuple[str, str]:
    days = (lease.ends_on - today).days if lease.ends_on else 0
    facts = {
        "space": space_label(lease.space, locale),
        "company": lease.company.name,
        "day": lease.ends_on.isoformat() if lease.ends_on else "",
    }
    title = _("Lease ending: %(space)s, %(company)s", **facts)
    body = ngettext(
        "The lease of %(space)s by %(company)s ends on %(day)s, in %(num)d day.",
        "The lease of %(space)s by %(company)s ends on %(day)s, in %(num)d days.",
        days,
        **facts,
    )
    return title, body


def page_line(
    event: str, user: User, booking: Booking | None = None, lease: Lease | None = None
) -> str:
    """The mail's pointer to the page it is about: a link under PUBLIC_URL, or else where the
    app's menu leads there."""
    if event == "approval_requested":
        endpoint, values, place = "manage.approvals", {}, _("Approvals")
    elif lease is not None and user.is_staff:
        endpoint, values, place = "manage.company", {"company_id": lease.company_id}, _("Companies")
    elif lease is not None:
        endpoint, values, place = "portal.company", {}, _("My company")
    elif booking is not None:
        endpoint, values = "portal.booking", {"booking_id": booking.id}
        place = _("Bookings") if user.is_staff else _("My bookings")
    else:
        return ""
    url = page_url(endpoint, **values)
    if url:
        return _("Open it in the booking app: %(url)s", url=url)
    return _("You find it under “%(place)s” in the Chuangzhigu booking app.", place=place)


def mail_body(user: User, body: str, page: str = "") -> str:
    """The mail of a notice: greeting, what happened, where to see it, how to choose mails."""
    template = current_app.jinja_env.get_template("mail/notification.txt")
    return template.render(
        greeting=_("Hello %(name)s,", name=user.name),
        body=body,
        page=page,
        settings_hint=_(
            "You can choose which notices also come by e-mail under Notifications in the "
            "booking app."
        ),
        settings_url=page_url("portal.notifications"),
        signature=_(
            "Gaoxin · Chuangzhigu (Zhilehui) Technology Business Incubator, Leshan High-tech Zone"
        ),
    )


def calendar_file(bookings: list[Booking], locale: str) -> str:
    """The bookings as one calendar file: the single booking's, or every occurrence's VEVENT."""
    location = space_label(bookings[0].space, locale)
    merged = Calendar.from_ical(booking_calendar(bookings[0], location))
    for other in bookings[1:]:
        for event in Calendar.from_ical(booking_calendar(other, location)).walk("VEVENT"):
            merged.add_component(event)
    return bytes(merged.to_ical()).decode()
