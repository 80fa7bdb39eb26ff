"""The fluoroscopy follow-up chart (DAP against air kerma of RF studies) is a tab of the RF dashboard only."""

from __future__ import annotations

import pytest

from registry.models import Site, StandardExam
from tests.registry.dashboards.conftest import DASHBOARD_URL, Browser
from tests.registry.statistics.conftest import StudyFactory

pytestmark = pytest.mark.django_db


def test_the_ct_dashboard_has_no_fluoroscopy_tab(everyone: Browser, head: StandardExam) -> None:
    html = everyone.get(DASHBOARD_URL, {"modality": "CT", "exam": head.pk}).content.decode()
    assert 'href="#section-workload"' in html  # the tabs are there ...
    assert "section-fluoroscopy" not in html and "/charts/fluoroscopy/" not in html  # ... but not this one


def test_the_rf_dashboard_has_the_fluoroscopy_tab(everyone: Browser, sites: list[Site]) -> None:
    angiography = StandardExam.objects.get_or_create(modality="RF", name="Coronary angiography")[0]
    StudyFactory.create(
        site=sites[0], standard_exam=angiography, modality="RF", dap_total_gym2=0.002, dose_rp_total_gy=0.4
    )
    html = everyone.get(DASHBOARD_URL, {"modality": "RF", "exam": angiography.pk}).content.decode()
    assert 'href="#section-fluoroscopy"' in html
    assert 'hx-get="/dashboards/drl/charts/fluoroscopy/?modality=RF&amp;' in html


@pytest.mark.parametrize("modality", ["CT", "DX", "MG", "NM"])
def test_its_fragment_is_not_found_on_another_modalitys_dashboard(everyone: Browser, modality: str) -> None:
    assert everyone.get("/dashboards/drl/charts/fluoroscopy/", {"modality": modality}).status_code == 404
    assert everyone.get("/dashboards/drl/charts/fluoroscopy/", {"modality": "RF"}).status_code == 200
