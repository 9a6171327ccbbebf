"""Dates and times as the pages show them, in the incubator's time zone."""

from datetime import date, datetime

from app.services.localtime import local_zone


def format_datetime_local(value: datetime | None) -> str:
    """A moment as local ``YYYY-MM-DD HH:MM``; nothing for None."""
    if value is None:
        return ""
    return value.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M")


def format_date(value: date | None) -> str:
    """A date as ``YYYY-MM-DD``; nothing for None."""
    return value.isoformat() if value else ""


def today_local() -> date:
    """Today's date in the incubator's time zone."""
    return datetime.now(local_zone()).date()
