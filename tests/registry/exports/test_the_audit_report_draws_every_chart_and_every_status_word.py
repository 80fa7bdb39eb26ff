"""The served audit report draws a chart for every row of its DRL table, says every status, and fits the page.

Six exams at ALPHA (minimum sample 3) give the six statuses; the physicist works at ALPHA and BRAVO, so the
charts name those two and show CHARLIE, DELTA and ECHO only as anonymous "Peer" bars. Read with pypdf: the
text of the file served, and where each run of text sits on the page.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from pypdf import PageObject, PdfReader

from registry.models import Role
from tests.conftest import person
from tests.pdf_text import pdf_text
from tests.registry.statistics.conftest import ExamFactory, LevelFactory, SiteFactory, dlp_studies

pytestmark = pytest.mark.django_db

OTHERS = ("BRAVO", "CHARLIE", "DELTA", "ECHO")
# A long name, as published sources have: the old table kept it on one line and pushed Status off the page.
ISSUER = "European Commission Radiation Protection"
# exam: (ALPHA's DLPs, the four others' DLPs or None, the published DRL or None) -> expected status
CASES: dict[str, tuple[tuple[float, ...], tuple[tuple[float, ...], ...] | None, float | None, str]] = {
    # medians 200 250 300 400 | ALPHA 600: DRL (position 3 of 0..4) 400; published 500.
    "Head": (
        (500, 600, 700),
        ((100, 200, 300), (200, 300, 400), (300, 400, 500), (150, 250, 350)),
        500.0,
        "above registry and published DRL",
    ),
    "Chest": (
        (500, 600, 700),
        ((100, 200, 300), (200, 300, 400), (300, 400, 500), (150, 250, 350)),
        5000.0,
        "above registry DRL",
    ),
    # medians 200 | 300 400 500 600: DRL 500; ALPHA's 200 is only above the published 150.
    "Abdomen": (
        (100, 200, 300),
        ((200, 300, 400), (300, 400, 500), (400, 500, 600), (500, 600, 700)),
        150.0,
        "above published DRL",
    ),
    # medians 300 400 500 500 600: DRL 500, ALPHA's median 500 is at it, not above it.
    "Sinus": (
        (400, 500, 600),
        ((200, 300, 400), (300, 400, 500), (400, 500, 600), (500, 600, 700)),
        None,
        "within",
    ),
    "Spine": (
        (100, 200),
        ((200, 300, 400), (300, 400, 500), (400, 500, 600), (500, 600, 700)),
        None,
        "too few studies",
    ),
    # Only ALPHA has studies: no registry DRL (one site counts; five are needed) and none published.
    "Neck": ((100, 200, 300), None, None, "no DRL to compare with"),
}


@pytest.fixture
def report(small_minimum: None) -> bytes:
    alpha = SiteFactory.create(code="ALPHA")
    others = [SiteFactory.create(code=code) for code in OTHERS]
    for name, (own, theirs, published, _) in CASES.items():
        exam = ExamFactory.create(name=f"Audit {name}")  # not a name of the seeded catalogue
        dlp_studies(alpha, exam, *own)
        for site, dlps in zip(others, theirs or (), strict=False):
            dlp_studies(site, exam, *dlps)
        if published is not None:
            LevelFactory.create(exam=exam, metric="dlp", value=published, issuer=ISSUER, year=2022)
    client = Client()
    client.force_login(person("phil", (alpha, Role.PHYSICIST), (others[0], Role.PHYSICIST)))
    response = client.get("/exports/audit-report.pdf", {"site": "ALPHA"})
    assert response.status_code == 200
    return response.content


def test_every_row_has_its_status_and_every_chart_is_drawn(report: bytes) -> None:
    text = pdf_text(report)
    table, charts = text.split("DRL comparison charts", 1)
    for name in CASES:
        assert f"CT Audit {name} DLP per examination (mGy·cm)" in table
        assert f"CT Audit {name}: DLP per examination" in charts  # the chart's title, then the chart
    rows = [table.index(f"CT Audit {name} ") for name in sorted(CASES)]  # the rows, exams by name
    for name, start, end in zip(sorted(CASES), rows, [*rows[1:], len(table)], strict=True):
        assert CASES[name][-1] in table[start:end]
    assert table.count("above registry and published DRL") == 1


def test_the_drl_rows_show_the_hand_computed_levels(report: bytes) -> None:
    table = pdf_text(report).split("DRL comparison charts", 1)[0]
    # Head: n 3, ALPHA's median 600 (3 values: no 95 % interval), registry DRL 400, its interval from the
    # 2nd of the five medians (250) with the upper bound open (intervals.py), published 500.
    assert (
        "CT Audit Head DLP per examination (mGy·cm) 3 600 too few for a CI 400 from 250, upper open "
        f"500 {ISSUER} 2022 above registry and published DRL"
    ) in table
    assert "none 1 site reaches the minimum sample of 3; 5 are needed" in table  # Neck


def test_the_charts_name_only_the_persons_sites(report: bytes) -> None:
    charts = pdf_text(report).split("DRL comparison charts", 1)[1]
    assert "ALPHA" in charts and "BRAVO" in charts and "Peer 1" in charts and "Peer 3" in charts
    assert not any(code in charts for code in ("CHARLIE", "DELTA", "ECHO"))


def test_every_column_fits_the_page(report: bytes) -> None:
    """No run of text ends past the right margin (15 mm): a wide table would push its last column there."""
    for page in PdfReader(io.BytesIO(report)).pages:
        limit = float(page.mediabox.right) - 15 / 25.4 * 72
        assert [(end, text) for end, text in text_runs(page) if end > limit + 0.5] == []


def text_runs(page: PageObject) -> list[tuple[float, str]]:
    """Where each run of text ends on the page (points), with its raw operand: the glyph widths of its font
    (the /W array of WeasyPrint's Type0 fonts), one TJ per run after a Tm without rotation, as pypdf's
    operator visitor reports them."""
    resources: Any = page["/Resources"]
    fonts = {name: _glyph_widths(ref.get_object()) for name, ref in resources["/Font"].items()}
    state: dict[str, Any] = {}
    ends: list[tuple[float, str]] = []

    def width(widths: dict[int, float], item: Any) -> float:  # thousandths of the font size
        if isinstance(item, bytes):  # two-byte glyph ids (Identity-H)
            ids = (int.from_bytes(item[i : i + 2], "big") for i in range(0, len(item), 2))
            return sum(widths.get(glyph, widths[-1]) for glyph in ids)
        return -float(item)  # a TJ adjustment moves the next glyph left

    def before(operator: bytes, operands: list[Any], cm: list[float], tm: list[float]) -> None:
        if operator == b"Tf":
            state["widths"], state["size"] = fonts[operands[0]], float(operands[1])
        elif operator == b"TJ":
            advance = sum(width(state["widths"], item) for item in operands[0]) / 1000 * state["size"]
            ends.append(((tm[4] + advance * tm[0]) * cm[0] + cm[4], str(operands[0])[:60]))

    page.extract_text(visitor_operand_before=before)
    return ends


def _glyph_widths(font: Any) -> dict[int, float]:
    """Glyph id to width from a Type0 font's /W array ([first [w ...]] or [first last w]); -1: /DW."""
    cid_font = font["/DescendantFonts"][0].get_object()
    widths: dict[int, float] = {-1: float(cid_font.get("/DW", 1000))}
    entries = list(cid_font.get("/W", []))
    while entries:
        first, second = int(entries.pop(0)), entries.pop(0).get_object()
        if isinstance(second, list):
            widths.update({first + offset: float(w) for offset, w in enumerate(second)})
        else:
            last, value = int(second), float(entries.pop(0))
            widths.update(dict.fromkeys(range(first, last + 1), value))
    return widths
