"""The report as one self-contained HTML file: the same document as the
docx, with inline SVG charts and a print stylesheet (A4, a section per
page, table headers repeated). Every text from data is escaped."""

from __future__ import annotations

from html import escape

from mhtool.io.safety import visible
from mhtool.report.dutch import dutch
from mhtool.report.model import TEXT, Report, Section

STYLE = """
body { font-family: Calibri, Arial, sans-serif; max-width: 60em; margin: 2em auto; color: #222; }
h1 { color: #1f4e79; } h2 { color: #1f4e79; border-bottom: 1px solid #1f4e79; margin-top: 2em; }
.status { font-weight: bold; padding: .5em; border: 2px solid #c55a11; display: inline-block; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #9db3cc; padding: .2em .6em; }
th { background: #dde5f0; text-align: left; }
td.n { text-align: right; } tr.total td { font-weight: bold; }
table.facts td, table.facts th { border: none; }
.note { font-size: .85em; font-style: italic; } svg { max-width: 100%; height: auto; }
@media print {
  @page { size: A4; margin: 18mm; }
  body { margin: 0; max-width: none; font-size: 10pt; }
  section { break-before: page; } thead { display: table-header-group; }
  tr, svg { break-inside: avoid; }
}
"""


def _table(section: Section) -> str:
    table = section.table
    head = "".join(f"<th>{escape(c)}</th>" for c in table.columns)
    rows = []
    for number, row in enumerate(table.rows):
        total = ' class="total"' if table.total_row and number == len(table.rows) - 1 else ""
        cells = "".join(
            f"<td{'' if table.kinds[c] == TEXT else ' class=n'}>{escape(visible(dutch(row.get(c), table.kinds[c])))}</td>"
            for c in table.columns
        )
        rows.append(f"<tr{total}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _section(section: Section) -> str:
    parts = [f"<section><h2>{escape(section.title)}</h2>"]
    if section.sentences:
        parts.append(f"<p>{escape(' '.join(section.sentences))}</p>")
    parts += [f"<p>{escape(p)}</p>" for p in section.notes]
    parts.append(_table(section))
    if section.chart and section.table.body:
        from mhtool.report.charts import svg

        parts.append(f'<figure role="img" aria-label="{escape(section.chart.title)}">{svg(section)}</figure>')
    if section.note:
        parts.append(f'<p class="note">{escape(section.note)}</p>')
    parts.append("</section>")
    return "\n".join(parts)


def to_html(report: Report) -> str:
    facts = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in report.facts)
    intro = "".join(f"<p>{escape(p)}</p>" for p in report.intro_notes)
    body = "\n".join(_section(s) for s in report.sections)
    return (
        f'<!DOCTYPE html>\n<html lang="nl">\n<head><meta charset="utf-8">\n'
        f"<title>{escape(report.title)}</title>\n<style>{STYLE}</style></head>\n<body>\n"
        f'<header><h1>{escape(report.title)}</h1>\n<p class="status">{escape(report.status)}</p>\n'
        f'<table class="facts">{facts}</table>{intro}</header>\n{body}\n'
        f"<footer><p>vertrouwelijk</p></footer>\n</body>\n</html>\n"
    )


def write_html(report: Report, path: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(to_html(report))
