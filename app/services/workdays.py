"""The working calendar: whether a local date is a working day, a holiday, a weekend or 调休.

The one source of truth for opening hours, availability, booking rules, reports, the timeline
and the dashboard. A day is looked up in this order:

1. a day a manager declared (``calendar_days``): a make-up Saturday, an extra day off;
2. the State Council's published arrangement, holidays and make-up days (``chinesecalendar``);
3. for a year not published yet, the statutory days fixed by law, with the days in lieu of those
   that fall on a weekend (``holidays``, python-holidays) — provisional, since the make-up
   working days are only known once the arrangement is published;
4. Monday to Friday.

Declared days come from the reference data held in memory (``app.services.reference``), so
asking about every day of a year for every space costs no query.
"""

import enum
import functools
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

import chinese_calendar
import holidays
from chinese_calendar.constants import Holiday
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import CalendarDay, DaySource, User
from app.services import audit, reference
from app.services.errors import NotAllowed, RuleViolation

AUDITED_FIELDS = ["day", "working", "name", "source", "provisional"]
NAME_MAX_LENGTH = 60
FIRST_YEAR, LAST_YEAR = 2000, 2100  # the years a manager may declare days of


class DayKind(enum.StrEnum):
    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    MAKEUP = "makeup"  # a Saturday or Sunday that is a working day (调休上班)


@dataclass(frozen=True)
class WorkDay:
    """What the working calendar says of one local date."""

    day: date
    working: bool
    name: str
    source: DaySource
    provisional: bool

    @property
    def kind(self) -> DayKind:
        weekend = self.day.weekday() >= 5
        if self.working:
            return DayKind.MAKEUP if weekend else DayKind.WORKDAY
        return DayKind.WEEKEND if weekend and not self.name else DayKind.HOLIDAY

    @property
    def holiday_name(self) -> str | None:
        """The holiday's name on a day off that has one (国庆节), else None."""
        if self.working or not self.name:
            return None
        return self.name


@dataclass(frozen=True)
class YearStatus:
    """How much of a year's calendar is known: for the managers' banner."""

    year: int
    official: bool  # the published arrangement is known
    declared: int  # days managers declared in that year

    @property
    def needs_attention(self) -> bool:
        return not self.official and self.declared == 0


def official_known(year: int) -> bool:
    """Whether the published arrangement of ``year`` is in the calendar library."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _official(day: date) -> WorkDay | None:
    """The published arrangement of the day, or None for a year not published yet."""
    try:
        working = bool(chinese_calendar.is_workday(day))
        _on_holiday, holiday = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return None
    name = ""
    if holiday:
        name = next((str(h.chinese) for h in Holiday if h.value == holiday), str(holiday))
    return WorkDay(day, working, name, DaySource.OFFICIAL, provisional=False)


@functools.cache
def _law_days(year: int) -> dict[date, str]:
    """The statutory days off of a year by law, days in lieu included, with Chinese names."""
    return {day: str(name) for day, name in holidays.China(years=year, language="zh_CN").items()}


def _by_law(day: date) -> WorkDay:
    name = _law_days(day.year).get(day, "")
    working = not name and day.weekday() < 5
    return WorkDay(day, working, name, DaySource.LAW, provisional=True)


def _declared(year: int) -> dict[date, WorkDay]:
    """The days managers declared in ``year``, worked out once per revision of reference data."""
    return reference.current().derived(f"workdays.{year}", partial(_declared_in, year))


def _declared_in(year: int, held: reference.Reference) -> dict[date, WorkDay]:
    return {
        row.day: WorkDay(row.day, row.working, row.name, row.source, row.provisional)
        for row in held.declared_days.values()
        if row.day.year == year
    }


def day_info(day: date) -> WorkDay:
    """What the working calendar says of ``day``, from the first source that knows it."""
    declared = _declared(day.year).get(day)
    if declared is not None:
        return declared
    return _official(day) or _by_law(day)


def is_working_day(day: date) -> bool:
    """Whether ``day`` is a working day, make-up Saturdays (调休) included."""
    return day_info(day).working


def holiday_name(day: date) -> str | None:
    """The name of the holiday ``day`` belongs to (国庆节), if it is one."""
    return day_info(day).holiday_name


def days_between(first: date, last: date) -> list[WorkDay]:
    """Every day from ``first`` to ``last``, both included."""
    return [day_info(first + timedelta(days=n)) for n in range((last - first).days + 1)]


def year_status(year: int) -> YearStatus:
    """Whether the year's arrangement is published, and how many days managers declared."""
    declared = len(_declared(year))
    return YearStatus(year, official_known(year), declared)


def years_to_confirm(today: date) -> list[YearStatus]:
    """This year and, from October, next year, when their arrangement is unknown and undeclared.

    The State Council usually publishes next year's arrangement in October or November.
    """
    years = [today.year] + ([today.year + 1] if today.month >= 10 else [])
    return [status for status in map(year_status, years) if status.needs_attention]


def _staff_only(actor: User | None) -> None:
    """The calendar is the managers' (a command-line change has no actor)."""
    if actor is not None and not actor.is_staff:
        raise NotAllowed(_l("Only the incubator's managers can change the working calendar."))


def set_day(
    actor: User | None, day: date, *, working: bool, name: str = "", provisional: bool = False
) -> WorkDay:
    """Declare ``day`` a working day or a day off, whatever the libraries say."""
    _staff_only(actor)
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise RuleViolation(
            "day", _l("Give a date from %(first)d to %(last)d.", first=FIRST_YEAR, last=LAST_YEAR)
        )
    name = name.strip()
    if len(name) > NAME_MAX_LENGTH:
        raise RuleViolation("name", _l("Keep the name under 60 characters."))
    if not working and not name:
        raise RuleViolation("name", _l("Name the day off so that tenants understand why."))
    row = db.session.get(CalendarDay, day)
    before = audit.snapshot(row, AUDITED_FIELDS) if row else None
    if row is None:
        row = CalendarDay(day=day)
        db.session.add(row)
    row.working, row.name, row.provisional = working, name, provisional
    row.source = DaySource.MANAGER
    row.updated_by_id = actor.id if actor else None
    db.session.flush()
    audit.record(actor, "calendar.set", row, before, audit.snapshot(row, AUDITED_FIELDS))
    return day_info(day)


def clear_day(actor: User | None, day: date) -> WorkDay:
    """Withdraw a manager's declaration: the day follows the next source again."""
    _staff_only(actor)
    row = db.session.get(CalendarDay, day)
    if row is not None:
        audit.record(actor, "calendar.cleared", row, audit.snapshot(row, AUDITED_FIELDS), None)
        db.session.delete(row)
        db.session.flush()
    return day_info(day)


def declared_days(year: int) -> list[WorkDay]:
    """The days managers declared in ``year``, in date order."""
    return sorted(_declared(year).values(), key=lambda item: item.day)
