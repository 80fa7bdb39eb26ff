"""Filters change the charts in place: an htmx request gets only the dashboard fragment, filtered."""

from __future__ import annotations

import pytest

from registry.models import StandardExam
from tests.registry.dashboards.conftest import DASHBOARD_URL, Browser, chart, payloads
from tests.registry.statistics.conftest import StudyFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _n(figure: dict[str, object]) -> dict[str, int]:
    data = figure["data"]
    assert isinstance(data, list)
    return {site: row[0] for trace in data for site, row in zip(trace["x"], trace["customdata"], strict=True)}


def test_an_htmx_request_gets_only_the_fragment(everyone: Browser, head: StandardExam) -> None:
    response = everyone.get(DASHBOARD_URL, {"modality": "CT", "exam": head.pk}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "site-header" not in html
    assert 'hx-get="/dashboards/drl/"' in html and "chart-drl" in html
    assert "HX-Request" in response["Vary"]


def test_a_history_restore_gets_the_whole_page(everyone: Browser, head: StandardExam) -> None:
    response = everyone.get(
        DASHBOARD_URL, {"exam": head.pk}, headers={**HTMX, "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


def test_the_page_has_the_form_that_swaps_in_place(everyone: Browser, head: StandardExam) -> None:
    html = everyone.get(DASHBOARD_URL, {"exam": head.pk}).content.decode()
    assert 'hx-target="#dashboard"' in html and 'hx-push-url="true"' in html
    assert ">Adult 50" in html and "weight_band=adult_standard" in html


def test_a_filter_narrows_every_chart(everyone: Browser, head: StandardExam) -> None:
    delta = head.studies.filter(site__code="DELTA").first()
    assert delta is not None
    for weight in (40.0, 95.0):  # outside 50-90 kg: left out by the adult preset
        StudyFactory.create(
            site=delta.site, standard_exam=head, patient_weight_kg=weight, ct_dlp_total_mgycm=900.0
        )
    params = {"modality": "CT", "exam": head.pk, "metric": "dlp"}
    everything = _n(payloads(everyone.get(DASHBOARD_URL, params, headers=HTMX))["chart-drl"])
    adults = _n(
        payloads(everyone.get(DASHBOARD_URL, {**params, "weight_band": "adult_standard"}, headers=HTMX))[
            "chart-drl"
        ]
    )
    assert everything["DELTA"] == adults["DELTA"] + 2
    men = {**params, "sex": "M"}
    assert payloads(everyone.get(DASHBOARD_URL, men, headers=HTMX))["chart-drl"]["data"] == []
    assert chart(everyone, "trend", men, headers=HTMX)["data"] == []


def test_invalid_filters_are_a_400_with_the_message(everyone: Browser, head: StandardExam) -> None:
    response = everyone.get(
        DASHBOARD_URL, {"exam": head.pk, "weight_min": "90", "weight_max": "50"}, headers=HTMX
    )
    assert response.status_code == 400
    assert "Weight at most (kg): The highest weight is below the lowest." in response.content.decode()
    assert payloads(response) == {}


@pytest.mark.parametrize("kind", ["drl", "distribution", "trend", "weight", "workload", "fluoroscopy"])
def test_each_chart_has_its_own_fragment(everyone: Browser, head: StandardExam, kind: str) -> None:
    modality = "RF" if kind == "fluoroscopy" else "CT"  # the fluoroscopy chart is the RF dashboard's only
    response = everyone.get(f"/dashboards/drl/charts/{kind}/", {"modality": modality, "exam": head.pk})
    assert response.status_code == 200
    assert set(payloads(response)) == {f"chart-{kind}"}


def test_an_unknown_chart_is_a_404(everyone: Browser) -> None:
    assert everyone.get("/dashboards/drl/charts/pie/").status_code == 404
