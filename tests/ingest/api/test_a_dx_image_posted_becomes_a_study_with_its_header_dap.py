"""The corpus DX image (GE Optima XR220) posted to the REST API becomes a study with its header's DAP."""

from __future__ import annotations

import pytest

from registry.models import Study
from tests.ingest.api.conftest import Post

pytestmark = pytest.mark.django_db

DX_IMAGE = "negative/DX-Im-GE_XR220-1.dcm"


def test_a_dx_image_posted_becomes_a_study_whose_dap_is_its_header_s(post_file: Post) -> None:
    response = post_file(DX_IMAGE)
    assert response.status_code == 202
    study = Study.objects.get()
    # (0018,115E) Image and Fluoroscopy Area Dose Product DS '0.410000' dGy·cm², times 1e-5 to Gy·m²
    assert study.dap_total_gym2 == pytest.approx(4.1e-6, rel=1e-9)
    assert study.events.count() == 1 and study.modalities == "DX"
