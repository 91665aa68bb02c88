"""QR codes for survey links (printed at tills, shelves and fairs for intercepts)."""

from __future__ import annotations

import io

import segno


def qr_png(url: str, *, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_svg(url: str, *, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=scale, border=4, xmldecl=True)
    return buffer.getvalue()
