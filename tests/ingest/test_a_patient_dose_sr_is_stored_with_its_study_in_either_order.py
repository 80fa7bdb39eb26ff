"""A Patient Radiation Dose SR (TID 10030) stored with its CT report, in either order: its five estimates are
rows of the study, the study's device is the scanner (never the estimating program), the CT report still
counts and the study's DLP is the CT report's (the estimates add no dose).

Hand values: `ingest.synth.patient_dose_examples` (effective dose 0.0062 Sv, four organ doses).
"""

from __future__ import annotations

import pytest

from ingest.models import State
from ingest.synth import ScenarioConfig, StudySpec, draw_studies, write_bytes
from ingest.synth.patient_dose import patient_dose_bytes
from ingest.synth.patient_dose_examples import organ_dose_spec
from ingest.synth.spec import CtReportSpec
from registry.models import DoseEstimate, DoseReport, Study
from tests.ingest.conftest import Send

pytestmark = pytest.mark.django_db


@pytest.fixture
def ct_study() -> StudySpec:
    return next(draw_studies(ScenarioConfig(studies=1, sites=1, seed=1, mix={"CT": 1.0})))


@pytest.mark.parametrize("prdsr_first", [False, True], ids=["report-then-estimates", "estimates-first"])
def test_the_estimates_join_the_study_without_taking_its_device_or_its_dose(
    send: Send, ct_study: StudySpec, prdsr_first: bool
) -> None:
    ct_bytes, prdsr_bytes = write_bytes(ct_study), patient_dose_bytes(organ_dose_spec(ct_study))
    order = [prdsr_bytes, ct_bytes] if prdsr_first else [ct_bytes, prdsr_bytes]
    assert [send(data=data).state for data in order] == [State.STORED, State.STORED]

    study = Study.objects.get()
    ct = DoseReport.objects.get(template="10011")
    prdsr = DoseReport.objects.get(template="10030")
    assert study.device_id == ct.device_id != prdsr.device_id
    assert (ct.contributes, prdsr.contributes) == (True, True)
    assert isinstance(ct_study.report, CtReportSpec)
    assert study.ct_dlp_total_mgycm == pytest.approx(ct_study.report.dlp_total_mgycm)
    assert study.events.count() == 4
    rows = DoseEstimate.objects.filter(study=study, report=prdsr).order_by("pk")
    assert [(row.target, row.dose_gy, row.dose_sv) for row in rows] == [
        ("Entire body", None, 0.0062),
        ("Lung", 0.0148, None),
        ("Breast", 0.0121, None),
        ("Thyroid", 0.0043, None),
        ("Stomach", 0.0061, None),
    ]
