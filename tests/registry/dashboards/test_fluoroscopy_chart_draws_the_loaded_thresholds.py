"""Fluoroscopy: DAP against reference-point air kerma per RF study, with the loaded follow-up thresholds."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from registry.models import StandardExam
from tests.registry.dashboards.conftest import chart, member_browser, site
from tests.registry.statistics.conftest import StudyFactory

pytestmark = pytest.mark.django_db

THRESHOLDS = """issuer,document,year,modality,name,metric,unit,scope,value,status,note
NCRP,Report No. 168,2010,RF,SRDL reference air kerma,dose_rp,Gy,per_exam,5,verified,patient follow-up
NCRP,Report No. 168,2010,RF,SRDL air kerma-area product,dap,Gy.cm2,per_exam,500,unverified,patient follow-up
AAPM,CT dose check,2011,CT,Adult head notification value,ctdivol,mGy,per_sequence,80,unverified,
"""


def test_points_in_display_units_and_threshold_lines(tmp_path: Path) -> None:
    (tmp_path / "thresholds.csv").write_text(THRESHOLDS, encoding="utf-8")
    call_command("load_reference_levels", str(tmp_path / "thresholds.csv"))
    lab = site("CATHLAB")
    exam = StandardExam.objects.get_or_create(modality="RF", name="Coronary angiography")[0]
    study = StudyFactory.create(
        site=lab, standard_exam=exam, modality="RF", dap_total_gym2=0.0123, dose_rp_total_gy=1.5
    )
    StudyFactory.create(site=lab, modality="RF", dap_total_gym2=0.02, dose_rp_total_gy=None)  # no air kerma
    figure = chart(member_browser(lab), "fluoroscopy", {"modality": "RF"})
    (trace,) = figure["data"]
    assert trace["x"] == [pytest.approx(1500.0)]  # mGy
    assert trace["y"] == [pytest.approx(123.0)]  # Gy·cm²
    assert trace["customdata"] == [f"/studies/{study.pk}/"]
    lines = {shape["name"]: shape for shape in figure["layout"]["shapes"]}
    assert lines["threshold dose_rp"]["x0"] == pytest.approx(5000.0)  # 5 Gy as a vertical line, in mGy
    assert lines["threshold dap"]["y0"] == pytest.approx(500.0)
    assert len(lines) == 2  # the CT notification value is not a fluoroscopy threshold
