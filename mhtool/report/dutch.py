"""Numbers as a Dutch reader writes them, for the docx and html reports:
`1.234` for a count, `33,3` for a share (in %), `0,47` for a rate."""

from __future__ import annotations

from mhtool.report.model import COUNT, RATE, SHARE


def dutch(value, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if kind == SHARE:
        text = f"{value:,.1f}"
    elif kind == RATE:
        text = f"{value:,.2f}"
    elif kind == COUNT and isinstance(value, int):
        text = f"{value:,}"
    else:
        text = f"{value:,}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")
