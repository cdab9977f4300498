"""Short Dutch sentences that state a section's figures, as the progress
report writes them ("In het derde kwartaal van 2026 zijn 36 situaties
opgepakt, waarvan 12 seksuele uitbuiting, ..."). They are made after
`--publish`, so they state what the tables show (`<5` included)."""

from __future__ import annotations

from mhtool.periods import Period
from mhtool.region.municipalities import TOTAL
from mhtool.report.model import COUNT, SUPPRESSED, Report, Section

ORDINALS = ("eerste", "tweede", "derde", "vierde")


def when(period: Period) -> str:
    if period.kind == "quarter":
        return f"In het {ORDINALS[(period.start.month - 1) // 3]} kwartaal van {period.start.year}"
    return f"In {period.start.year}"


def number(value) -> str:
    """A count as a sentence writes it: Dutch grouping, `<5` as 'minder dan 5'."""
    if value == SUPPRESSED:
        return "minder dan 5"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return "onbekend" if value is None else str(value)


def listing(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]


def _breakdown(section: Section) -> list[str]:
    table = section.table
    label, count = table.columns[0], table.columns[1]
    return [f"{number(row[count])} {row[label]}" for row in table.body if row[count] not in (0, None)]


def _total(section: Section):
    return section.table.rows[-1][section.table.columns[1]]


def _by_type(section: Section, period: Period) -> list[str]:
    parts = _breakdown(section)
    text = f"{when(period)} zijn {number(_total(section))} situaties opgepakt"
    return [text + (f", waarvan {listing(parts)}." if parts else ".")]


def _by_gemeente(section: Section, period: Period) -> list[str]:
    counted = [r for r in section.table.body if isinstance(r["aantal"], int) and r["aantal"] > 0]
    if not counted:
        return [f"{when(period)} zijn in geen enkele gemeente situaties opgepakt."]
    most = max(counted, key=lambda r: r["aantal"])
    sentences = [f"De meeste situaties kwamen uit {most['gemeente']} ({number(most['aantal'])})."]
    rated = [r for r in counted if r.get("per 10.000 inwoners")]
    if rated:
        top = max(rated, key=lambda r: r["per 10.000 inwoners"])
        rate = f"{top['per 10.000 inwoners']:.2f}".replace(".", ",")
        sentences.append(f"Naar inwoners gerekend het meest in {top['gemeente']}: {rate} per 10.000 inwoners.")
    return sentences


def _trend(section: Section, period: Period) -> list[str]:
    parts = [f"{row['kwartaal']} {number(row[TOTAL])}" for row in section.table.rows]
    return [f"Situaties per kwartaal: {listing(parts)}."]


def _generic(section: Section, period: Period) -> list[str]:
    parts = _breakdown(section)
    if section.table.kinds.get(section.table.columns[1]) != COUNT or not parts:
        return []
    return [f"{section.title}: {listing(parts)} (totaal {number(_total(section))})."]


WRITERS = {"type": _by_type, "gemeente": _by_gemeente, "trend": _trend}


def add_sentences(report: Report, period: Period) -> None:
    for section in report.sections:
        if not section.sentences:
            section.sentences = WRITERS.get(section.key, _generic)(section, period)
