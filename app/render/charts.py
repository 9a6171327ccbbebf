"""Charts drawn on the server as inline SVG: bars, lines and a heat map, no JavaScript.

Every chart is an accessible image (``role="img"`` with a title and a description), writes its
numbers as text beside the marks so colour is never the only cue, and scales with its
container (a ``viewBox`` about as wide as a phone, ``width="100%"``). All text passes through
markupsafe, so a company called ``<script>`` is drawn as those eight characters.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup

from app.render import svg
from app.render.svg import nice_scale


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value, the text written beside it, and an optional marker."""

    label: str
    value: float
    text: str = ""
    marker: float | None = None  # a reference value (the free allowance) drawn across the bar
    note: str = ""  # a second line under a column's label (counts behind a rate)


@dataclass(frozen=True)
class Series:
    """One line: its label and one value per x position (None where there is none)."""

    label: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class HeatRow:
    """One row of a heat map: its label and one share (0–1) per column, None where closed."""

    label: str
    values: Sequence[float | None]


def no_data(chart_id: str, title: str, message: str | None = None) -> Markup:
    """A chart's frame that says there is nothing to show yet."""
    message = message or _("No data for this period.")
    body = svg.text(svg.WIDTH / 2, 34, message, anchor="middle", fill=svg.MUTED, css="chart-empty")
    return svg.svg(chart_id, title, message, 56, body)


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    desc: str,
    horizontal: bool = True,
    max_value: float | None = None,
    at_least: float = 0.0,
    suffix: str = "",
    marker_label: str = "",
    empty: str | None = None,
) -> Markup:
    """Bars with their values written beside them; horizontal bars carry their label above.

    A bar with a ``marker`` gets a tick at that value, and the part beyond it is drawn in the
    warning colour (booked hours beyond the free allowance). The scale runs to ``max_value``
    (100 for shares), else to a round number above the largest value and ``at_least``.
    """
    if not bars:
        return no_data(chart_id, title, empty)
    if max_value:
        top, step = max_value, max_value / 4
    else:
        largest = max(max(bar.value, bar.marker or 0) for bar in bars)
        top, step = nice_scale(largest, at_least)
    if horizontal:
        return _horizontal_bars(bars, chart_id, title, desc, top, marker_label)
    return _vertical_bars(bars, chart_id, title, desc, (top, step), marker_label, suffix)


def _legend_marker(x: float, y: float, label: str) -> Markup:
    return svg.line(x, y - 10, x, y + 2, svg.MARKER, "chart-marker", 2) + svg.text(
        x + 6, y, label, size=svg.SMALL, fill=svg.MUTED
    )


def _bar_parts(bar: Bar, length: float, scale: float) -> tuple[float, float]:
    """The length of a bar's part within its marker and of the part beyond it."""
    if bar.marker is None or bar.value <= bar.marker:
        return length, 0.0
    inside = max(bar.marker, 0) * scale
    return inside, length - inside


def _horizontal_bars(
    bars: Sequence[Bar], chart_id: str, title: str, desc: str, top: float, marker_label: str
) -> Markup:
    """One bar a row: its label on the left and its value on the right above it."""
    left, bar_height, row = 4.0, 14.0, 40.0
    plot = svg.WIDTH - left * 2
    scale = plot / top
    y = 8.0
    body = Markup()
    if marker_label:
        body += _legend_marker(left + 2, y + 10, marker_label)
        y += 20
    for bar in bars:
        length = min(max(bar.value, 0), top) * scale
        inside, beyond = _bar_parts(bar, length, scale)
        text = svg.fit(bar.text or f"{bar.value:g}", svg.FONT, plot / 2)
        group = Markup('<g class="chart-row"><title>{label}: {text}</title>').format(
            label=bar.label, text=bar.text or text
        )
        label_room = plot - svg.text_width(text, svg.FONT) - 8
        group += svg.text(left, y + 12, svg.fit(bar.label, svg.FONT, label_room), css="chart-label")
        group += svg.text(svg.WIDTH - left, y + 12, text, anchor="end", css="chart-value")
        bar_y = y + 17
        group += svg.rect(left, bar_y, plot, bar_height, "#eef2f6", "chart-track")
        group += svg.rect(left, bar_y, inside, bar_height, svg.BAR, "chart-bar")
        if beyond:
            group += svg.rect(
                left + inside, bar_y, beyond, bar_height, svg.OVER, "chart-bar chart-over"
            )
        if bar.marker is not None:
            mark = left + min(max(bar.marker, 0), top) * scale
            group += svg.line(
                mark, bar_y - 3, mark, bar_y + bar_height + 3, svg.MARKER, "chart-marker", 2
            )
        body += group + Markup("</g>")
        y += row
    return svg.svg(chart_id, title, desc, y + 4, body)


def _axis(
    left: float,
    right: float,
    top_y: float,
    bottom_y: float,
    scale: tuple[float, float],
    suffix: str,
) -> Markup:
    """Grid lines at each step of the scale, labelled on the left."""
    top, step = scale
    body = Markup()
    steps = round(top / step)
    for number in range(steps + 1):
        value = step * number
        y = bottom_y - (bottom_y - top_y) * value / top
        body += svg.line(left, y, right, y, svg.GRID, "chart-grid")
        body += svg.text(
            left - 4, y + 4, f"{value:g}{suffix}", size=svg.SMALL, anchor="end", fill=svg.MUTED
        )
    return body


def _every(count: int, label_width: float, room: float) -> int:
    """Label every n-th position so that the labels do not run into each other."""
    return max(1, math.ceil(count * (label_width + 8) / room))


def _vertical_bars(
    bars: Sequence[Bar],
    chart_id: str,
    title: str,
    desc: str,
    scale: tuple[float, float],
    marker_label: str,
    suffix: str,
) -> Markup:
    """Columns over a labelled grid, each with its value on top and its label (and note) below."""
    top = scale[0]
    left, right, top_y, bottom_y = 40.0, svg.WIDTH - 6.0, 30.0, 190.0
    plot_w, plot_h = right - left, bottom_y - top_y
    slot = plot_w / len(bars)
    bar_w = min(slot * 0.7, 48)
    per_unit = plot_h / top
    body = _axis(left, right, top_y, bottom_y, scale, suffix)
    if marker_label:
        body += _legend_marker(left + 2, 14, marker_label)
    widest = max(svg.text_width(text, svg.SMALL) for bar in bars for text in (bar.label, bar.note))
    every = _every(len(bars), widest, plot_w)
    notes = any(bar.note for bar in bars)
    for index, bar in enumerate(bars):
        x = left + slot * index + (slot - bar_w) / 2
        length = min(max(bar.value, 0), top) * per_unit
        inside, beyond = _bar_parts(bar, length, per_unit)
        text = bar.text or f"{bar.value:g}{suffix}"
        group = Markup('<g class="chart-col"><title>{label}: {text} {note}</title>').format(
            label=bar.label, text=text, note=bar.note
        )
        group += svg.rect(x, bottom_y - inside, bar_w, inside, svg.BAR, "chart-bar")
        if beyond:
            group += svg.rect(x, bottom_y - length, bar_w, beyond, svg.OVER, "chart-bar chart-over")
        if bar.marker is not None:
            mark = bottom_y - min(max(bar.marker, 0), top) * per_unit
            group += svg.line(x - 3, mark, x + bar_w + 3, mark, svg.MARKER, "chart-marker", 2)
        centre = x + bar_w / 2
        group += svg.text(
            centre,
            bottom_y - length - 4,
            svg.fit(text, svg.SMALL, slot + 4),
            size=svg.SMALL,
            anchor="middle",
            css="chart-value",
        )
        if index % every == 0:
            group += svg.text(centre, bottom_y + 15, bar.label, size=svg.SMALL, anchor="middle")
            if bar.note:
                group += svg.text(
                    centre, bottom_y + 29, bar.note, size=svg.SMALL, anchor="middle", fill=svg.MUTED
                )
        body += group + Markup("</g>")
    return svg.svg(chart_id, title, desc, bottom_y + (38 if notes else 24), body)


def line_chart(
    series: Sequence[Series],
    x_labels: Sequence[str],
    *,
    chart_id: str,
    title: str,
    desc: str,
    max_value: float | None = 100.0,
    suffix: str = "%",
    empty: str | None = None,
) -> Markup:
    """Lines over shared x positions, each named at its end with its last value."""
    values = [value for line in series for value in line.values if value is not None]
    if not values or not x_labels:
        return no_data(chart_id, title, empty)
    scale = (max_value, max_value / 4) if max_value else nice_scale(max(values))
    top = scale[0]
    label_room = 74.0
    left, right, top_y, bottom_y = 40.0, svg.WIDTH - label_room, 12.0, 180.0
    plot_w, plot_h = right - left, bottom_y - top_y
    step = plot_w / max(len(x_labels) - 1, 1)
    body = _axis(left, right, top_y, bottom_y, scale, suffix)
    every = _every(
        len(x_labels), max(svg.text_width(label, svg.SMALL) for label in x_labels), plot_w
    )
    for index, label in enumerate(x_labels):
        if index % every == 0 or index == len(x_labels) - 1 and every == 1:
            body += svg.text(
                left + step * index, bottom_y + 15, label, size=svg.SMALL, anchor="middle"
            )

    def y_of(value: float) -> float:
        return bottom_y - min(max(value, 0), top) / top * plot_h

    ends: list[tuple[float, str, str]] = []
    for number, line in enumerate(series):
        colour = svg.LINE_COLOURS[number % len(svg.LINE_COLOURS)]
        dash = svg.LINE_DASHES[number % len(svg.LINE_DASHES)]
        points = [
            (left + step * index, y_of(value))
            for index, value in enumerate(line.values)
            if value is not None
        ]
        if not points:
            continue
        last = next(value for value in reversed(line.values) if value is not None)
        group = Markup('<g class="chart-series"><title>{label}: {values}</title>').format(
            label=line.label,
            values=", ".join(
                f"{x}: {value:g}{suffix}"
                for x, value in zip(x_labels, line.values, strict=False)
                if value is not None
            ),
        )
        group += Markup(
            '<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2" '
            'stroke-dasharray="{dash}" class="chart-line"/>'
        ).format(
            points=" ".join(f"{svg.num(x)},{svg.num(y)}" for x, y in points),
            colour=colour,
            dash=dash or "none",
        )
        for x, y in points:
            group += Markup('<circle cx="{x}" cy="{y}" r="2.5" fill="{colour}"/>').format(
                x=svg.num(x), y=svg.num(y), colour=colour
            )
        body += group + Markup("</g>")
        ends.append((points[-1][1], f"{line.label} {last:g}{suffix}", colour))
    body += _end_labels(ends, right + 4, top_y, bottom_y + 4, label_room - 6)
    return svg.svg(chart_id, title, desc, bottom_y + 24, body)


def _end_labels(
    ends: list[tuple[float, str, str]], x: float, low: float, high: float, room: float
) -> Markup:
    """Labels at the lines' ends, pushed apart so that they never overlap."""
    gap = svg.SMALL + 2
    placed: list[tuple[float, str, str]] = []
    for y, text, colour in sorted(ends):
        y = max(y + 4, low + svg.SMALL, placed[-1][0] + gap if placed else 0)
        placed.append((y, text, colour))
    overflow = placed[-1][0] - high if placed else 0
    if overflow > 0:  # shift the stack back up from the bottom
        placed = [(y - overflow, text, colour) for y, text, colour in placed]
    body = Markup()
    for y, text, colour in placed:
        body += svg.text(
            x, y, svg.fit(text, svg.SMALL, room), size=svg.SMALL, fill=colour, css="chart-label"
        )
    return body


def _shade(value: float) -> str:
    """From pale to the brand blue as the share grows."""
    pale, dark = (0xE3, 0xEE, 0xF9), (0x0B, 0x5C, 0xAD)
    rgb = (round(p + (d - p) * value) for p, d in zip(pale, dark, strict=True))
    return "#" + "".join(f"{c:02x}" for c in rgb)


def heat_map(
    rows: Sequence[HeatRow],
    groups: Sequence[str],
    column_labels: Sequence[str],
    *,
    chart_id: str,
    title: str,
    desc: str,
    closed_label: str = "",
    empty: str | None = None,
) -> Markup:
    """Rows of cells, the columns in equal groups (days); each cell shows its share twice:
    by its shade and by the height of its fill, and names its value in its tooltip.

    Each row's label sits above its cells, so the cells can use the whole width of a phone.
    """
    columns = len(column_labels)
    if not rows or not columns or all(value is None for row in rows for value in row.values):
        return no_data(chart_id, title, empty)
    per_group = max(columns // max(len(groups), 1), 1)
    left, gap = 4.0, 4.0
    cell_w = (svg.WIDTH - left * 2 - gap * (len(groups) - 1)) / columns
    cell_h = 16.0

    def x_of(column: int) -> float:
        return left + column * cell_w + (column // per_group) * gap

    body = Markup()
    for number, group in enumerate(groups):
        x = x_of(number * per_group) + per_group * cell_w / 2
        body += svg.text(x, 14, group, size=svg.SMALL, anchor="middle", fill=svg.MUTED)
    y = 22.0
    for row in rows:
        body += svg.text(
            left, y + 12, svg.fit(row.label, svg.FONT, svg.WIDTH - left * 2), css="chart-label"
        )
        cells_y = y + 16
        for column, value in enumerate(row.values[:columns]):
            x = x_of(column)
            if value is None:
                tip = f"{row.label} · {column_labels[column]}: {closed_label or '–'}"
                cell = svg.rect(x + 0.5, cells_y, cell_w - 1, cell_h, "#ffffff", "chart-closed")
            else:
                share = min(max(value, 0.0), 1.0)
                tip = f"{row.label} · {column_labels[column]}: {share * 100:.0f}%"
                cell = svg.rect(x + 0.5, cells_y, cell_w - 1, cell_h, "#f1f4f8", "chart-track")
                filled = cell_h * share
                cell += svg.rect(
                    x + 0.5,
                    cells_y + cell_h - filled,
                    cell_w - 1,
                    filled,
                    _shade(share),
                    "chart-cell",
                )
            body += Markup("<g><title>{tip}</title>{cell}</g>").format(tip=tip, cell=cell)
        y = cells_y + cell_h + 6
    body += _heat_legend(y + 4, closed_label)
    return svg.svg(chart_id, title, desc, y + 22, body)


def _heat_legend(y: float, closed_label: str) -> Markup:
    """The scale: 0 %, 25 %, … 100 % as filled cells with their numbers."""
    body = Markup()
    x = 4.0
    for share in (0.0, 0.25, 0.5, 0.75, 1.0):
        body += svg.rect(x, y, 14, 14, "#f1f4f8", "chart-track")
        body += svg.rect(x, y + 14 * (1 - share), 14, 14 * share, _shade(share), "chart-cell")
        body += svg.text(x + 17, y + 11, f"{share * 100:.0f}%", size=svg.SMALL, fill=svg.MUTED)
        x += 54
    if closed_label:
        body += Markup(
            '<rect x="{x}" y="{y}" width="14" height="14" fill="#ffffff" stroke="{grid}" '
            'class="chart-closed"/>'
        ).format(x=svg.num(x), y=svg.num(y), grid=svg.GRID)
        body += svg.text(
            x + 17,
            y + 11,
            svg.fit(closed_label, svg.SMALL, svg.WIDTH - x - 20),
            size=svg.SMALL,
            fill=svg.MUTED,
        )
    return body
