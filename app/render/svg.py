"""SVG primitives of the charts: sizes, colours, text, rectangles and lines, all escaped."""

import math
import re
import unicodedata

from markupsafe import Markup

WIDTH = 360  # viewBox units; about one CSS pixel on a 375 px phone
FONT = 13
SMALL = 11
INK = "#1b1f24"
MUTED = "#57606a"
GRID = "#d0d7de"
BAR = "#0b5cad"
OVER = "#b42318"
MARKER = "#1b1f24"
# Okabe–Ito colours (told apart with colour blindness), each line also has its own dash.
LINE_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000")
LINE_DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2", "10 2")
ELEMENT_ID = re.compile(r"^[A-Za-z][\w-]*$")


def num(value: float) -> str:
    """A coordinate, short."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def text_width(text: str, size: float) -> float:
    """About how wide ``text`` is drawn: Chinese characters are square, Latin ones narrower."""
    return sum(size * (1.0 if unicodedata.east_asian_width(char) in "WF" else 0.6) for char in text)


def fit(text: str, size: float, room: float) -> str:
    """``text`` shortened with an ellipsis to fit ``room`` units."""
    if text_width(text, size) <= room:
        return text
    while text and text_width(text + "…", size) > room:
        text = text[:-1]
    return text + "…"


def nice_scale(largest: float, at_least: float = 0.0) -> tuple[float, float]:
    """An axis for values up to ``largest``: its top and a round step (1, 2, 2.5, 5 × 10ⁿ).

    About four steps, so the grid lines read 0, 10, 20, 30 rather than 0, 6.25, 12.5, …
    """
    largest = max(largest, at_least)
    if largest <= 0:
        return 1.0, 0.25
    raw = largest / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(n * power for n in (1, 2, 2.5, 5, 10) if n * power >= raw)
    return step * math.ceil(largest / step - 1e-9), step


def svg(chart_id: str, title: str, desc: str, height: float, body: Markup) -> Markup:
    if not ELEMENT_ID.match(chart_id):
        raise ValueError(f"not a usable element id: {chart_id!r}")
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'aria-labelledby="{id}-title {id}-desc" font-size="{font}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>'
    ).format(
        width=WIDTH,
        height=num(height),
        id=chart_id,
        font=FONT,
        title=title,
        desc=desc,
        body=body,
    )


def text(
    x: float,
    y: float,
    text: str,
    *,
    size: float = FONT,
    anchor: str = "start",
    fill: str = INK,
    css: str = "chart-text",
) -> Markup:
    return Markup(
        '<text x="{x}" y="{y}" font-size="{size}" text-anchor="{anchor}" fill="{fill}" '
        'class="{css}">{text}</text>'
    ).format(x=num(x), y=num(y), size=size, anchor=anchor, fill=fill, css=css, text=text)


def rect(x: float, y: float, width: float, height: float, fill: str, css: str) -> Markup:
    return Markup(
        '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}" class="{css}"/>'
    ).format(x=num(x), y=num(y), w=num(max(width, 0)), h=num(max(height, 0)), fill=fill, css=css)


def line(
    x1: float, y1: float, x2: float, y2: float, stroke: str, css: str, width: float = 1
) -> Markup:
    return Markup(
        '<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{stroke}" '
        'stroke-width="{width}" class="{css}"/>'
    ).format(x1=num(x1), y1=num(y1), x2=num(x2), y2=num(y2), stroke=stroke, width=width, css=css)
