"""A study is counted under the device of its first stored report (per-device statistics group by it).

Manufacturer and model names below were read from the corpus files with pydicom (0008,0070 and 0008,1090).
"""

from __future__ import annotations

import pytest

from registry.models import Study
from tests.ingest.conftest import Send

pytestmark = pytest.mark.django_db


def test_the_nm_report_of_a_pet_ct_study_names_its_device_when_it_comes_first(send: Send) -> None:
    send("NM-RRDSR-Siemens.dcm", "NM-CT-RDSR-Siemens.dcm")
    study = Study.objects.select_related("device").get()
    assert study.reports.count() == 2
    assert study.device is not None
    assert (study.device.manufacturer, study.device.model_name) == (
        "SIEMENS",
        "Biograph64_Vision 600_Vision 600-1208",
    )


def test_the_ct_report_names_it_when_it_comes_first(send: Send) -> None:
    send("NM-CT-RDSR-Siemens.dcm", "NM-RRDSR-Siemens.dcm")
    study = Study.objects.select_related("device").get()
    assert study.device is not None and study.device.model_name == "Biograph64_Vision 600"
