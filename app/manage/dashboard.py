"""The manager's overview: companies by stage, occupancy, room use, who books, no-shows."""

from datetime import date, timedelta

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup

from app.i18n import select_locale
from app.manage import bp
from app.models import Stage, Zone
from app.render import charts
from app.services import dashboard as figures
from app.services import workdays
from app.services.dashboard import hours_text
from app.services.report_rows import AreaOccupancyRow
from app.sqltypes import utcnow
from app.web import today_local


def zone_label(code: str, zones: dict[str, Zone], locale: str) -> str:
    zone = zones.get(code)
    return f"{code} {zone.display_name(locale)}" if zone else code


def occupancy_chart(
    rows: list[AreaOccupancyRow], zones: dict[str, Zone], locale: str, day: date
) -> Markup:
    bars = [
        charts.Bar(
            zone_label(row.zone_code, zones, locale),
            row.occupancy_pct,
            f"{row.occupancy_pct:g}% · {row.leased_m2:.0f}/{row.leasable_m2:.0f} m²",
        )
        for row in rows
    ]
    return charts.bar_chart(
        bars,
        chart_id="occupancy-now",
        title=_("Occupancy by zone on %(day)s", day=day.isoformat()),
        desc=_("Leased share of each zone's leasable area, in per cent, with the m² leased."),
        max_value=100,
    )


def trend_chart(trend: figures.OccupancyTrend) -> Markup:
    return charts.line_chart(
        [charts.Series(code, values) for code, values in trend.by_zone.items()],
        [f"{first:%Y-%m}" for first, _last in trend.months],
        chart_id="occupancy-trend",
        title=_("Occupancy by month, last %(count)d months", count=len(trend.months)),
        desc=_("Leased share of each zone's leasable area, month by month, in per cent."),
    )


def week_label(week: date) -> str:
    return _("W%(week)02d", week=week.isocalendar().week)


def utilization_chart(weeks: list[figures.WeekUse]) -> Markup:
    bars = [
        charts.Bar(week_label(week.first), week.utilization_pct, f"{week.utilization_pct:.0f}%")
        for week in weeks
        if week.open_hours
    ]
    return charts.bar_chart(
        bars,
        chart_id="room-utilization",
        title=_("Meeting-room utilisation by week"),
        desc=_("Booked share of the meeting rooms' open hours in each ISO week, in per cent."),
        horizontal=False,
        at_least=10,
        suffix="%",
    )


def weekday_names() -> list[str]:
    monday = date(2024, 1, 1)
    return [format_date(monday + timedelta(days=n), "EEE") for n in range(7)]


def heat_chart(heat: figures.HeatMap, locale: str) -> Markup:
    days = weekday_names()
    columns = [f"{day} {start:02d}:00–{end:02d}:00" for day in days for start, end in heat.blocks]
    rows = [
        charts.HeatRow(f"{row.space.code} {row.space.display_name(locale)}", row.shares)
        for row in heat.rows
    ]
    first, last = heat.first.isoformat(), heat.last.isoformat()
    return charts.heat_map(
        rows,
        days,
        columns,
        chart_id="room-heat-map",
        title=_("When meeting rooms are booked, %(first)s to %(last)s", first=first, last=last),
        desc=_(
            "For each room, the booked share of its open time by weekday, in blocks of "
            "%(hours)d hours from %(opens)02d:00; a fuller, darker cell is busier.",
            hours=(heat.blocks[0][1] - heat.blocks[0][0]) if heat.blocks else 0,
            opens=heat.blocks[0][0] if heat.blocks else 0,
        ),
        closed_label=_("closed"),
    )


def companies_chart(listed: list[figures.CompanyUse], month: date) -> Markup:
    bars = [
        charts.Bar(
            use.company.name,
            use.used_minutes / 60,
            _(
                "%(used)s h / %(free)s h free",
                used=hours_text(use.used_minutes),
                free=hours_text(use.allowance_minutes),
            ),
            marker=use.allowance_minutes / 60,
        )
        for use in listed
    ]
    return charts.bar_chart(
        bars,
        chart_id="top-companies",
        title=_("Companies booking most in %(month)s", month=f"{month:%Y-%m}"),
        desc=_(
            "Meeting-room hours each company booked this month; the mark is its free "
            "allowance, hours beyond it are drawn in red."
        ),
        marker_label=_("Free hours"),
        empty=_("No meeting-room bookings this month yet."),
    )


def no_show_chart(rates: figures.NoShowRates) -> Markup:
    bars = [
        charts.Bar(
            week_label(week.first),
            week.rate_pct,
            f"{week.rate_pct:g}%",
            note=_("%(count)d of %(due)d", count=week.no_shows, due=week.due),
        )
        for week in rates.weeks
        if week.due
    ]
    return charts.bar_chart(
        bars,
        chart_id="no-shows",
        title=_("No-shows by week"),
        desc=_(
            "Share of confirmed bookings needing a check-in that nobody checked in to, "
            "in each ISO week, with the counts."
        ),
        horizontal=False,
        at_least=10,
        suffix="%",
        empty=_("No booking needed a check-in in these weeks."),
    )


def draw(board: figures.Overview, locale: str) -> dict[str, Markup]:
    """The overview's charts, by name."""
    return {
        "occupancy": occupancy_chart(board.occupancy, board.zones, locale, board.today),
        "trend": trend_chart(board.trend),
        "utilization": utilization_chart(board.weeks),
        "heat": heat_chart(board.heat, locale),
        "companies": companies_chart(board.companies, board.today),
        "no_shows": no_show_chart(board.no_shows),
    }


@bp.route("/")
def dashboard() -> ResponseReturnValue:
    """The overview: occupancy, room use, who books most, no-shows."""
    board = figures.overview(today_local(), utcnow())
    return render_template(
        "manage/dashboard.html",
        board=board,
        charts=draw(board, select_locale()),
        stages=list(Stage),
        hours=hours_text,
        week_label=week_label,
        weekdays=weekday_names(),
        calendar_years=workdays.years_to_confirm(today_local()),
    )
