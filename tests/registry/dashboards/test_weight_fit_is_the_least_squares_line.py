"""Dose against weight: the least-squares line per site is computed in the database, and points are capped."""

from __future__ import annotations

from typing import Any

import pytest

from registry.dashboards import charts
from registry.models import StandardExam
from tests.registry.dashboards.conftest import chart, member_browser, site
from tests.registry.statistics.conftest import StudyFactory

pytestmark = pytest.mark.django_db
PARAMS = {"modality": "CT", "metric": "dlp"}


def _weighed(code: str, exam: StandardExam, *points: tuple[float, float]) -> None:
    here = site(code)
    for weight, dlp in points:
        StudyFactory.create(site=here, standard_exam=exam, patient_weight_kg=weight, ct_dlp_total_mgycm=dlp)


def _fits(head: StandardExam, *codes: str) -> dict[str, dict[str, Any]]:
    from registry.models import Site

    client = member_browser(*Site.objects.filter(code__in=codes))
    figure = chart(client, "weight", {**PARAMS, "exam": head.pk})
    return {trace["meta"]["site"]: trace for trace in figure["data"] if trace.get("meta")}


def test_a_straight_line_through_three_points(head: StandardExam) -> None:
    _weighed("LINE", head, (50, 100), (70, 140), (90, 180))
    fit = _fits(head, "LINE")["LINE"]
    assert fit["meta"]["slope"] == pytest.approx(2.0)
    assert fit["meta"]["intercept"] == pytest.approx(0.0, abs=1e-9)
    assert fit["meta"]["n"] == 3
    assert (fit["x"], fit["y"]) == ([50.0, 90.0], [pytest.approx(100.0), pytest.approx(180.0)])


def test_scattered_points_give_the_hand_computed_line(head: StandardExam) -> None:
    # x 50, 60, 80 (mean 190/3), y 100, 150, 160 (mean 410/3): Sxy = 2500/3, Sxx = 1400/3 -> slope 25/14
    _weighed("SCATTER", head, (50, 100), (60, 150), (80, 160))
    _weighed("FLAT", head, (70, 100), (70, 200))  # one weight only: no line, like regr_slope
    fits = _fits(head, "SCATTER", "FLAT")
    assert fits["SCATTER"]["meta"]["slope"] == pytest.approx(25 / 14)
    assert fits["SCATTER"]["meta"]["intercept"] == pytest.approx(410 / 3 - 25 / 14 * 190 / 3)
    assert "FLAT" not in fits


def test_points_are_a_deterministic_sample_under_the_cap(head: StandardExam, monkeypatch: Any) -> None:
    monkeypatch.setattr(charts, "POINT_CAP", 4)
    _weighed("MANY", head, *((40 + n, 100 + 10 * n) for n in range(10)))
    client = member_browser(site("MANY"))

    def points() -> list[float]:
        figure = chart(client, "weight", {**PARAMS, "exam": head.pk})
        return [x for trace in figure["data"] if trace["mode"] == "markers" for x in trace["x"]]

    first = points()
    assert first == [42.0, 45.0, 48.0]  # every third of ten, in primary-key order
    assert points() == first
    assert _fits(head, "MANY")["MANY"]["meta"]["n"] == 10  # the line still fits every study
