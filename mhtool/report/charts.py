"""A section's chart drawn with matplotlib (the Agg backend, no display),
for the docx (PNG) and html (inline SVG) reports. matplotlib is imported
here only, when a report is made, so that `mhtool --help` stays fast.

A suppressed count (`<5`) is drawn as 0: a bar must not give it away."""

from __future__ import annotations

import io

from mhtool.report.model import Section

COLOURS = ["#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#2e75b6"]


def _number(value) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _figure(section: Section):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    spec, rows = section.chart, section.table.body
    assert spec is not None
    labels = [str(row.get(spec.category) or "") for row in rows]
    figure = Figure(figsize=(7, 3.2), dpi=150, layout="constrained")
    axes = figure.subplots()
    if spec.kind == "line":
        for number, name in enumerate(spec.values):
            axes.plot(
                labels,
                [_number(r.get(name)) for r in rows],
                marker="o",
                label=name,
                color=COLOURS[number % len(COLOURS)],
            )
    else:
        width = 0.8 / len(spec.values)
        for number, name in enumerate(spec.values):
            places = [i + (number - (len(spec.values) - 1) / 2) * width for i in range(len(rows))]
            axes.barh(
                places,
                [_number(r.get(name)) for r in rows],
                height=width,
                label=name,
                color=COLOURS[number % len(COLOURS)],
            )
        axes.set_yticks(range(len(rows)), labels)
        axes.invert_yaxis()
    (axes.yaxis if spec.kind == "line" else axes.xaxis).set_major_locator(MaxNLocator(integer=True))
    if len(spec.values) > 1:
        axes.legend(frameon=False, fontsize=8)
    axes.set_title(spec.title, fontsize=10)
    axes.tick_params(labelsize=8)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return figure


def png(section: Section) -> bytes:
    out = io.BytesIO()
    _figure(section).savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


def svg(section: Section) -> str:
    """The chart as an <svg> element; text is drawn as paths, so no data
    reaches the markup as text."""
    import matplotlib

    out = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "mhtool"}):
        _figure(section).savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    text = out.getvalue()
    return text[text.index("<svg") :]
