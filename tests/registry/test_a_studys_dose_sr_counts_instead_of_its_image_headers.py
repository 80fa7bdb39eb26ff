"""A study's dose SR counts instead of its image headers, whichever arrives first; images alone sum.

The DX RDSR of the corpus (Canon CXDI) states a DAP total of 1.07e-5 Gy·m²; the synthetic DX images of the
same study carry no Irradiation Event UID, so only the store's header rule keeps their exposure from
counting a second time (docs/dose-objects.md, "Image headers").
"""

from __future__ import annotations

import io
from typing import Any

import pydicom
import pytest

from ingest.rdsr import read
from registry.models import Site, Study
from registry.store import Outcome, store_dose_report
from tests.conftest import corpus_file
from tests.ingest.rdsr.image_builder import image, part10

pytestmark = pytest.mark.django_db

DX_RDSR = "DX-RDSR-Canon_CXDI.dcm"
RDSR_DAP_GYM2 = 1.07e-5  # its Dose Area Product Total (113722)


@pytest.fixture
def site() -> Site:
    return Site.objects.create(code="H", name="Headers")


def _rdsr() -> dict[str, Any]:
    return read(corpus_file(DX_RDSR)).as_dict()


def _header(study_instance_uid: str, dap_dgycm2: float) -> dict[str, Any]:
    """A synthetic DX image of the study, without (0008,3010) Irradiation Event UID, read as a report."""
    ds = image(StudyInstanceUID=study_instance_uid, ImageAndFluoroscopyAreaDoseProduct=dap_dgycm2)
    return read(pydicom.dcmread(io.BytesIO(part10(ds)))).as_dict()


@pytest.mark.parametrize("sr_first", [True, False], ids=["sr-then-image", "image-then-sr"])
def test_an_image_of_a_study_with_a_dose_sr_does_not_change_its_dap_total(site: Site, sr_first: bool) -> None:
    rdsr = _rdsr()
    header = _header(rdsr["study_instance_uid"], 0.41)
    for report in [rdsr, header] if sr_first else [header, rdsr]:
        store_dose_report(site=site, report=report)
    study = Study.objects.get()
    assert study.dap_total_gym2 == pytest.approx(RDSR_DAP_GYM2)
    assert list(study.reports.filter(contributes=True).values_list("sop_class_uid", flat=True)) == [
        rdsr["sop_class_uid"]
    ]
    assert list(study.events.values_list("uid", flat=True)) == [rdsr["events"][0]["uid"]]


def test_an_image_after_the_dose_sr_is_kept_for_audit_only(site: Site) -> None:
    rdsr = _rdsr()
    store_dose_report(site=site, report=rdsr)
    stored = store_dose_report(site=site, report=_header(rdsr["study_instance_uid"], 0.41))
    assert stored.outcome == Outcome.AUDIT_ONLY and not stored.report.contributes


def test_a_dose_sr_whose_event_an_image_holds_under_the_same_uid_takes_it_over(site: Site) -> None:
    rdsr = _rdsr()
    header = _header(rdsr["study_instance_uid"], 0.41)
    header["events"][0]["uid"] = rdsr["events"][0]["uid"]  # as when the image carries (0008,3010)
    store_dose_report(site=site, report=header)
    stored = store_dose_report(site=site, report=rdsr)
    study = Study.objects.get()
    assert stored.outcome == Outcome.ADDED and stored.report.contributes
    assert study.dap_total_gym2 == pytest.approx(RDSR_DAP_GYM2)
    assert list(study.events.values_list("report", flat=True)) == [stored.report.pk]


def test_two_images_of_one_study_sum(site: Site) -> None:
    first = _header("2.25.4242", 0.41)
    store_dose_report(site=site, report=first)
    store_dose_report(site=site, report=_header("2.25.4242", 0.25))
    study = Study.objects.get()
    # (0018,115E) in dGy·cm², times 1e-5 to Gy·m²: 0.41 + 0.25 = 0.66 dGy·cm²
    assert study.dap_total_gym2 == pytest.approx(0.66e-5)
    assert study.events.count() == 2 and study.reports.filter(contributes=True).count() == 2
