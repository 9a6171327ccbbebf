"""QR codes drawn in the app (no service on the internet sees the address), as inline SVG."""

import segno
from markupsafe import Markup


def qr_svg(text: str, label: str) -> Markup:
    """``text`` as a QR code: an SVG that scales to its box (a viewBox, no fixed size), with
    ``label`` for screen readers."""
    code = segno.make(text, error="m")
    svg = code.svg_inline(
        border=2, omitsize=True, svgclass="qr", lineclass="qr-line", dark="#000", light="#fff"
    )
    # segno escapes nothing it was not given; the label is ours and is escaped here.
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{Markup.escape(label)}" ', 1))
