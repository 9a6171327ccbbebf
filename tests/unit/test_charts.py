"""Server-drawn SVG charts: well-formed, accessible, escaped, and true to their numbers.

Coordinates are written to a tenth of a unit, hence the 0.2 tolerance on proportions.
"""

import xml.etree.ElementTree as ET

import pytest

from app.render.charts import Bar, HeatRow, Series, bar_chart, heat_map, line_chart, nice_scale

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def texts(root: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def rects(root: ET.Element, css: str) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if css in r.get("class", "").split()]


BARS = [Bar("MTG-201", 10, "10 h"), Bar("MTG-202", 20, "20 h"), Bar("MTG-203", 40, "40 h")]


def every_chart(bars=BARS):
    return {
        "horizontal": bar_chart(bars, chart_id="h", title="Hours", desc="Hours booked"),
        "vertical": bar_chart(
            bars, chart_id="v", title="Hours", desc="Hours booked", horizontal=False
        ),
        "line": line_chart(
            [Series(bar.label, [bar.value, bar.value / 2]) for bar in bars],
            ["2026-08", "2026-09"],
            chart_id="l",
            title="Trend",
            desc="Occupancy",
        ),
        "heat": heat_map(
            [HeatRow(bar.label, [bar.value / 40, None]) for bar in bars],
            ["Mon"],
            ["Mon 08:00–10:00", "Mon 10:00–12:00"],
            chart_id="m",
            title="Busy hours",
            desc="Booked share",
            closed_label="closed",
        ),
    }


@pytest.mark.parametrize("kind", ["horizontal", "vertical", "line", "heat"])
def test_each_chart_is_an_accessible_well_formed_svg(kind: str) -> None:
    root = parse(every_chart()[kind])

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%" and root.get("viewBox", "").startswith("0 0 ")
    title, desc = root.find("svg:title", NS), root.find("svg:desc", NS)
    assert title is not None and desc is not None and title.text and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    # The labels are written out, not left to colour.
    assert any("MTG-203" in text for text in texts(root))


@pytest.mark.parametrize("kind", ["horizontal", "vertical", "line", "heat"])
def test_a_company_called_script_stays_text(kind: str) -> None:
    name = '<script>alert("x")</script> & Co'
    markup = str(every_chart([Bar(name, 5, f"{name} 5 h")])[kind])

    assert "<script>" not in markup
    root = parse(markup)
    assert any(name in text for text in texts(root)) or any(
        name in "".join(node.itertext()) for node in root.iter(f"{SVG}title")
    )


def test_horizontal_bars_are_as_long_as_their_values() -> None:
    root = parse(bar_chart(BARS, chart_id="h", title="t", desc="d"))
    widths = [float(r.get("width", 0)) for r in rects(root, "chart-bar")]

    assert widths[1] == pytest.approx(2 * widths[0], abs=0.2)
    assert widths[2] == pytest.approx(4 * widths[0], abs=0.2)
    assert texts(root)[-1] == "40 h"


def test_vertical_bars_are_as_tall_as_their_values_and_stand_on_one_line() -> None:
    root = parse(bar_chart(BARS, chart_id="v", title="t", desc="d", horizontal=False))
    bars = rects(root, "chart-bar")
    heights = [float(r.get("height", 0)) for r in bars]
    bottoms = {round(float(r.get("y", 0)) + float(r.get("height", 0)), 1) for r in bars}

    assert heights[1] == pytest.approx(2 * heights[0], abs=0.2)
    assert heights[2] == pytest.approx(4 * heights[0], abs=0.2)
    assert len(bottoms) == 1


def test_a_fixed_scale_keeps_shares_in_proportion_to_a_hundred() -> None:
    root = parse(bar_chart([Bar("ACC", 100), Bar("INC", 25)], chart_id="p", title="t", desc="d"))
    track = float(rects(root, "chart-track")[0].get("width", 0))
    full, quarter = (float(r.get("width", 0)) for r in rects(root, "chart-bar"))

    assert full == pytest.approx(track, abs=0.2)
    # Without max_value the scale is rounded up from the largest bar: 100 is the whole track.
    assert quarter == pytest.approx(track / 4, abs=0.2)


def test_hours_beyond_the_marker_are_drawn_apart_and_the_marker_is_shown() -> None:
    bars = [
        Bar("四川护能科技有限公司", 30, "30 h / 20 h free", marker=20),
        Bar("乙", 10, marker=20),
    ]
    root = parse(bar_chart(bars, chart_id="c", title="t", desc="d", marker_label="Free hours"))
    inside = [float(r.get("width", 0)) for r in rects(root, "chart-bar")]
    over = [float(r.get("width", 0)) for r in rects(root, "chart-over")]

    assert len(over) == 1 and over[0] == pytest.approx(
        inside[0] / 2, abs=0.2
    )  # 10 h over, 20 h within
    assert (
        len([line for line in root.iter(f"{SVG}line") if "chart-marker" in line.get("class", "")])
        == 3
    )
    assert "Free hours" in texts(root)


def test_a_long_label_is_shortened_on_the_chart_but_complete_in_its_tooltip() -> None:
    name = "乐山高新区某某新能源材料科技研究开发与成果转化服务有限公司"
    root = parse(bar_chart([Bar(name, 12, "12 h / 20 h free")], chart_id="c", title="t", desc="d"))

    drawn = texts(root)[0]
    assert drawn.endswith("…") and name.startswith(drawn[:-1])
    assert any(name in (node.text or "") for node in root.iter(f"{SVG}title"))


@pytest.mark.parametrize(
    "chart",
    [
        lambda: bar_chart([], chart_id="e", title="Empty", desc="d"),
        lambda: line_chart(
            [Series("MKT", [None, None])], ["a", "b"], chart_id="e", title="Empty", desc="d"
        ),
        lambda: line_chart([], [], chart_id="e", title="Empty", desc="d"),
        lambda: heat_map([], ["Mon"], ["Mon 08–10"], chart_id="e", title="Empty", desc="d"),
        lambda: heat_map(
            [HeatRow("MTG-201", [None])],
            ["Mon"],
            ["Mon 08–10"],
            chart_id="e",
            title="Empty",
            desc="d",
        ),
    ],
    ids=["bars", "line-all-missing", "line-nothing", "heat-no-rows", "heat-all-closed"],
)
def test_empty_data_says_so(chart) -> None:
    root = parse(chart())
    assert texts(root) == ["No data for this period."]
    assert root.get("role") == "img"


def test_the_empty_message_can_be_the_callers() -> None:
    root = parse(bar_chart([], chart_id="e", title="t", desc="d", empty="Nobody booked yet."))
    assert texts(root) == ["Nobody booked yet."]


def test_line_end_labels_never_overlap() -> None:
    series = [Series(code, [50.0, 70.0]) for code in ("INC", "ACC", "SEED")]
    root = parse(line_chart(series, ["2026-08", "2026-09"], chart_id="l", title="t", desc="d"))
    ends = sorted(
        float(node.get("y", 0)) for node in root.iter(f"{SVG}text") if "70%" in (node.text or "")
    )

    assert len(ends) == 3
    assert all(b - a >= 11 for a, b in zip(ends, ends[1:], strict=False))


def test_a_heat_map_cell_shows_its_share_by_height_and_names_it() -> None:
    root = parse(
        heat_map(
            [HeatRow("MTG-201", [1.0, 0.5, 0.0, None])],
            ["Mon", "Tue"],
            ["Mon 08–10", "Mon 10–12", "Tue 08–10", "Tue 10–12"],
            chart_id="m",
            title="t",
            desc="d",
            closed_label="closed",
        )
    )
    cells = rects(root, "chart-cell")[:3]  # then the legend's
    heights = [float(r.get("height", 0)) for r in cells]
    tips = [node.text for node in root.iter(f"{SVG}title")][1:]

    assert heights[0] == pytest.approx(2 * heights[1], abs=0.2) and heights[2] == 0
    assert tips == [
        "MTG-201 · Mon 08–10: 100%",
        "MTG-201 · Mon 10–12: 50%",
        "MTG-201 · Tue 08–10: 0%",
        "MTG-201 · Tue 10–12: closed",
    ]
    assert {"Mon", "Tue", "0%", "50%", "100%", "closed"} <= set(texts(root))


@pytest.mark.parametrize(
    ("largest", "expected"),
    [(24.3, (30, 10)), (18.75, (20, 5)), (100, (100, 25)), (7, (8, 2)), (0, (1, 0.25))],
)
def test_scales_end_on_round_numbers(largest: float, expected: tuple[float, float]) -> None:
    assert nice_scale(largest) == pytest.approx(expected)


def test_an_id_that_could_break_the_markup_is_refused() -> None:
    with pytest.raises(ValueError):
        bar_chart(BARS, chart_id='x" onload="alert(1)', title="t", desc="d")
