"""The reports as a municipality sees them: converted to PDF by headless
LibreOffice with a Dutch locale (nl-NL), read back with pdftotext.

Numbers must arrive as numbers: a share stored as text would not get the
`0,0%` format, a count as text would not be right-aligned and formatted.
Skipped, saying why, when LibreOffice (`soffice`) or pdftotext is not
installed (`apt-get install libreoffice-calc libreoffice-writer
poppler-utils`); `.ci/run` runs it where they are."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from test_report import M11
from test_stats import SIGNALS, load_signals

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
pytestmark = [
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed"),
    pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed"),
]

DUTCH = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>nl-NL</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>nl-NL</value></prop></item>
</oor:items>
"""


def to_pdf_text(source, tmp_path) -> str:
    profile = tmp_path / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(DUTCH, encoding="utf-8")
    out = tmp_path / "pdf"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    pdf = out / (source.stem + ".pdf")
    assert pdf.exists()
    return subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def data(run, files, db_path):
    load_signals(run, files, db_path, [*SIGNALS, M11])


def lines_starting(text: str, label: str) -> list[list[str]]:
    return [line.split() for line in text.splitlines() if line.strip().startswith(label)]


def test_xlsx_report_in_a_dutch_calc(data, run, tmp_path):
    target = tmp_path / "rapport.xlsx"
    assert run("report", "quarterly", "2026Q3", "-o", target).exit_code == 0
    text = to_pdf_text(target, tmp_path)
    assert "Inwoners van de regio" in text and "254.666 (peildatum 2025-01-01)" in text
    # formatted by LibreOffice, so stored as numbers: share as 20,0%, rate as 1,01
    assert ["Eemnes", "1", "20,0%", "1,01"] in lines_starting(text, "Eemnes")
    assert ["totaal", "5", "100,0%", "0,20"] in lines_starting(text, "totaal")
    assert "vertrouwelijk" in text and "Pagina 1 van" in text


def test_docx_report_in_writer(data, run, tmp_path):
    target = tmp_path / "rapport.docx"
    assert run("report", "quarterly", "2026Q3", "-o", target).exit_code == 0
    text = to_pdf_text(target, tmp_path)
    assert "Voortgangsrapportage mensenhandel 2026Q3" in text
    assert ["seksuele", "uitbuiting", "2", "40,0", "0,08"] in lines_starting(text, "seksuele uitbuiting")
    assert "In het derde kwartaal van 2026 zijn 5 situaties opgepakt" in " ".join(text.split())


def test_html_report_in_writer(data, run, tmp_path):
    target = tmp_path / "rapport.html"
    assert run("report", "quarterly", "2026Q3", "-o", target).exit_code == 0
    text = to_pdf_text(target, tmp_path)
    assert "2026Q3" in text and "Alleen voor intern gebruik" in text
    assert ["seksuele", "uitbuiting", "2", "40,0", "0,08"] in lines_starting(text, "seksuele uitbuiting")
