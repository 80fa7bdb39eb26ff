"""The trend chart: each site's median per calendar month, computed in one GROUP BY site, month."""

from __future__ import annotations

from datetime import date

import pytest

from registry.models import StandardExam
from tests.registry.dashboards.conftest import Browser, chart, member_browser, site
from tests.registry.statistics.conftest import StudyFactory

pytestmark = pytest.mark.django_db


def test_monthly_medians_per_site(head: StandardExam) -> None:
    north, south = site("NORTH"), site("SOUTH")
    for day, dlp in ((date(2025, 1, 3), 100.0), (date(2025, 1, 20), 300.0), (date(2025, 1, 31), 200.0)):
        StudyFactory.create(site=north, standard_exam=head, study_date=day, ct_dlp_total_mgycm=dlp)
    for day, dlp in ((date(2025, 2, 1), 400.0), (date(2025, 2, 28), 500.0)):
        StudyFactory.create(site=north, standard_exam=head, study_date=day, ct_dlp_total_mgycm=dlp)
    StudyFactory.create(site=south, standard_exam=head, study_date=date(2025, 2, 14), ct_dlp_total_mgycm=50.0)
    StudyFactory.create(site=south, standard_exam=head, study_date=None, ct_dlp_total_mgycm=9999.0)
    client: Browser = member_browser(north, south)
    figure = chart(client, "trend", {"modality": "CT", "exam": head.pk, "metric": "dlp"})
    lines = {trace["name"]: trace for trace in figure["data"]}
    assert lines["NORTH"]["x"] == ["2025-01-01", "2025-02-01"]
    assert lines["NORTH"]["y"] == [200.0, 450.0]  # median of 100, 300, 200; of 400, 500
    assert lines["NORTH"]["customdata"] == [3, 2]
    assert (lines["SOUTH"]["x"], lines["SOUTH"]["y"]) == (["2025-02-01"], [50.0])  # undated study left out


def test_trend_values_are_in_the_display_unit(head: StandardExam) -> None:
    rf = StandardExam.objects.get_or_create(modality="RF", name="Barium swallow")[0]
    here = site("HERE")
    for dap in (1e-4, 3e-4):  # Gy.m2 as stored: 1 and 3 Gy.cm2
        StudyFactory.create(site=here, standard_exam=rf, modality="RF", dap_total_gym2=dap)
    params = {"modality": "RF", "exam": rf.pk, "metric": "dap"}
    figure = chart(member_browser(here), "trend", params)
    assert figure["data"][0]["y"] == [pytest.approx(2.0)]
    assert "Gy·cm²" in figure["layout"]["yaxis"]["title"]["text"]
