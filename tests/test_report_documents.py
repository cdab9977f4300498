"""The docx and html reports, opened as their readers open them: python-docx
for the document, Python's HTML parser for the page."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from test_stats import SIGNALS, load_signals

# A nationality as a hostile or careless partner might type it.
HOSTILE = ["M11", "05-09-2026", "Overig", "Eemnes", "vrouw", "33", '<img src=x onerror="alert(1)">&']
TITLES = [
    "Situaties naar type uitbuiting",
    "Situaties naar gemeente",
    "Trend: de laatste vier kwartalen",
    "Bronnen",
    "Slachtoffers: geslacht",
    "Slachtoffers: leeftijd",
    "Slachtoffers: nationaliteit",
]


@pytest.fixture
def data(run, files, db_path):
    load_signals(run, files, db_path, [*SIGNALS, HOSTILE])


@pytest.fixture
def document(data, run, tmp_path):
    from docx import Document

    target = tmp_path / "rapport.docx"
    result = run("report", "quarterly", "2026Q3", "-o", target)
    assert result.exit_code == 0, result.stderr
    return Document(str(target))


def test_docx_title_page(document):
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "Voortgangsrapportage mensenhandel 2026Q3"
    assert paragraphs[1].startswith("Alleen voor intern gebruik")
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["Periode"] == "1 juli 2026 tot en met 30 september 2026"
    assert facts["Inwoners van de regio"] == "254.666 (peildatum 2025-01-01)"
    assert {"Regio", "Situaties", "Regels advertenties", "Gemaakt op"} <= set(facts)
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)  # A4
    assert "vertrouwelijk" in section.footer.paragraphs[0].text
    assert 'w:instr="PAGE"' in section.footer.paragraphs[0]._p.xml
    assert "Periode 2026Q3" in section.header.paragraphs[0].text


def test_docx_a_section_per_topic_with_table_sentence_and_chart(document):
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == TITLES
    paragraphs = [p.text for p in document.paragraphs]
    assert (
        "In het derde kwartaal van 2026 zijn 5 situaties opgepakt, waarvan 2 seksuele uitbuiting, "
        "1 arbeidsuitbuiting, 1 criminele uitbuiting en 1 overig."
    ) in paragraphs
    by_type = document.tables[1]
    rows = [[c.text for c in row.cells] for row in by_type.rows]
    assert rows[0] == ["type", "aantal", "aandeel %", "per 10.000 inwoners"]
    assert rows[1] == ["seksuele uitbuiting", "2", "40,0", "0,08"]
    assert rows[-1] == ["totaal", "5", "100,0", "0,20"]
    assert len(document.tables) == 1 + len(TITLES)
    assert len(document.inline_shapes) == len(TITLES)  # a chart per section
    assert all(round(shape.width.cm) == 16 for shape in document.inline_shapes)


def test_docx_keeps_data_as_text(document):
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert '<img src=x onerror="alert(1)">&' in cells


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture
def page(data, run, tmp_path):
    target = tmp_path / "rapport.html"
    result = run("report", "quarterly", "2026Q3", "-o", target)
    assert result.exit_code == 0, result.stderr
    return target.read_text("utf-8")


def test_html_is_one_self_contained_page(page):
    parsed = Page()
    parsed.feed(page)
    assert parsed.tags.count("svg") == len(TITLES)
    assert parsed.tags.count("section") == len(TITLES)
    assert "script" not in parsed.tags and "img" not in parsed.tags and "link" not in parsed.tags
    assert 'src="' not in page and 'href="http' not in page  # nothing fetched from elsewhere
    assert "@media print" in page and "size: A4" in page
    assert "Alleen voor intern gebruik" in page
    assert "<td class=n>40,0</td>" in page


def test_html_escapes_data(page):
    assert "<img" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;" in page
