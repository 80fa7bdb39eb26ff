"""The DRL and distribution charts carry exactly the numbers of GET /api/v1/stats/drl/ for one query."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from registry.models import Site, StandardExam
from tests.registry.dashboards.conftest import DASHBOARD_URL, Browser, chart, member_browser, payloads
from tests.registry.statistics.conftest import dlp_studies

pytestmark = pytest.mark.django_db


def _api(client: Client, params: dict[str, Any]) -> dict[str, Any]:
    api = APIClient()
    api.cookies = client.cookies  # the same signed-in person, through the API's session authentication
    response = api.get("/api/v1/stats/drl/", params)
    assert response.status_code == 200, response.content
    return dict(response.json())


def _bars(figure: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each named bar of the DRL chart by site: median, the 95 % interval's ends from the error bars, n and
    the IQR from its hover data, and its colour trace (anonymous peer bars carry no customdata). Device bars
    lie on their side (orientation "h"): their names are on y, the medians and error bars on x."""
    bars = {}
    for trace in figure["data"]:
        if "customdata" not in trace:
            continue
        names, values = ("y", "x") if trace.get("orientation") == "h" else ("x", "y")
        for index, site in enumerate(trace[names]):
            median, below, above = (
                trace[values][index],
                trace[f"error_{values}"]["arrayminus"][index],
                trace[f"error_{values}"]["array"][index],
            )
            bars[site] = {
                "median": median,
                "median_ci_low": None if below is None else median - below,  # no arm: an open bound
                "median_ci_high": None if above is None else median + above,
                "n": trace["customdata"][index][0],
                "p25": trace["customdata"][index][1],
                "p75": trace["customdata"][index][2],
                "trace": trace["name"],
            }
    return bars


def _peers(figure: dict[str, Any]) -> list[float]:
    """The anonymous bars' medians, in the chart's order."""
    return [
        median
        for trace in figure["data"]
        if "customdata" not in trace
        for median in trace["x" if trace.get("orientation") == "h" else "y"]
    ]


def _lines(figure: dict[str, Any]) -> dict[str, float]:
    return {shape["name"]: shape["y0"] for shape in figure["layout"]["shapes"]}


FILTERS = [{}, {"sex": "F"}, {"weight_band": "adult_standard"}, {"site": "DELTA"}, {"date_to": "2024-01-01"}]


@pytest.mark.parametrize("filters", FILTERS)
def test_site_medians_iqr_interval_and_n_equal_the_apis(
    everyone: Browser, head: StandardExam, sites: list[Site], filters: dict[str, str]
) -> None:
    for site in sites:  # three more studies each: six or more have a 95 % interval of the median
        dlp_studies(site, head, 100.0, 150.0, 200.0)
    params = {"modality": "CT", "exam": head.pk, "metric": "dlp", **filters}
    api = _api(everyone, params)
    figure = payloads(everyone.get(DASHBOARD_URL, params))["chart-drl"]
    bars = _bars(figure)
    assert set(bars) == {row["site"] for row in api["sites"]}
    for row in api["sites"]:
        bar = bars[row["site"]]
        assert bar["n"] == row["n"]
        for key in ("median", "p25", "p75", "median_ci_low", "median_ci_high"):
            assert row["display"][key] is not None
            assert bar[key] == pytest.approx(row["display"][key], rel=1e-12)


def test_reference_lines_are_the_registry_drl_typical_and_first_published_p75(
    everyone: Browser, head: StandardExam
) -> None:
    params = {"modality": "CT", "exam": head.pk, "metric": "dlp"}
    api = _api(everyone, params)
    figure = payloads(everyone.get(DASHBOARD_URL, params))["chart-drl"]
    lines = _lines(figure)
    assert lines["registry DRL"] == pytest.approx(api["registry"]["drl_display"])
    assert lines["typical"] == pytest.approx(api["registry"]["typical_display"])
    # Five site medians: the DRL's interval runs from the 2nd smallest (310), its upper bound open.
    assert lines["registry DRL 95 % CI"] == api["registry"]["drl_ci_low_display"] == 310.0
    first_p75 = next(level for level in api["published"] if level["statistic"] == "P75")
    assert lines["published DRL"] == first_p75["value_display"]


def test_another_published_drl_can_be_chosen(everyone: Browser, head: StandardExam) -> None:
    params = {"modality": "CT", "exam": head.pk, "metric": "dlp"}
    published = [level for level in _api(everyone, params)["published"] if level["statistic"] == "P75"]
    assert len(published) == 2
    chosen = published[1]
    figure = payloads(everyone.get(DASHBOARD_URL, {**params, "published": chosen["id"]}))["chart-drl"]
    assert _lines(figure)["published DRL"] == chosen["value_display"]


def test_the_site_above_the_registry_drl_is_coloured_apart(everyone: Browser, head: StandardExam) -> None:
    params = {"modality": "CT", "exam": head.pk, "metric": "dlp"}
    above = {row["site"] for row in _api(everyone, params)["sites"] if row["above_drl"]}
    bars = _bars(payloads(everyone.get(DASHBOARD_URL, params))["chart-drl"])
    assert above == {"DELTA"}
    assert {site for site, bar in bars.items() if bar["trace"] == "Median above the registry DRL"} == above


def test_distribution_boxes_are_the_apis_quartiles_and_range(everyone: Browser, head: StandardExam) -> None:
    params = {"modality": "CT", "exam": head.pk, "metric": "dlp"}
    api = {row["site"]: row for row in _api(everyone, params)["sites"]}
    figure = chart(everyone, "distribution", params)
    assert len(figure["data"]) == len(api)
    for box in figure["data"]:
        row = api[box["x"][0]]["display"]
        assert (box["q1"][0], box["median"][0], box["q3"][0]) == (row["p25"], row["median"], row["p75"])
        assert (box["lowerfence"][0], box["upperfence"][0], box["mean"][0]) == (
            row["min"],
            row["max"],
            row["mean"],
        )
    assert _lines(figure)["registry DRL"] == pytest.approx(_api(everyone, params)["registry"]["drl_display"])


def test_per_sequence_metrics_and_device_groups_match_too(
    everyone: Browser, head: StandardExam, sites: list[Site]
) -> None:
    from tests.registry.statistics.conftest import EventFactory, ReportFactory

    for study in head.studies.all():
        report = ReportFactory.create(study=study)
        EventFactory.create(report=report, ctdivol_mgy=(study.ct_dlp_total_mgycm or 0.0) / 20)
        EventFactory.create(report=report, ctdivol_mgy=(study.ct_dlp_total_mgycm or 0.0) / 25)
    params = {"modality": "CT", "exam": head.pk, "metric": "ctdivol", "group_by": "device"}
    api = _api(everyone, params)
    figure = payloads(everyone.get(DASHBOARD_URL, params))["chart-drl"]
    bars = _bars(figure)
    assert len(bars) == len(api["sites"]) > len(sites)
    for row in api["sites"]:
        bar = bars[f"{row['device_name']} ({row['site']})"]
        assert (bar["n"], bar["median"]) == (row["n"], pytest.approx(row["display"]["median"]))
    assert _peers(figure) == api["peers"] == []  # a physicist of every site: every device is named


def test_a_member_of_one_site_sees_the_registry_drl_of_every_site(
    everyone: Browser, sites: list[Site], head: StandardExam
) -> None:
    delta = member_browser(sites[3])
    params = {"modality": "CT", "exam": head.pk, "metric": "dlp"}
    api = _api(delta, params)
    figure = payloads(delta.get(DASHBOARD_URL, params))["chart-drl"]
    assert set(_bars(figure)) == {"DELTA"}
    # The four other sites as anonymous bars, in order of their medians (never of their codes).
    assert _peers(figure) == sorted(peer["median_display"] for peer in api["peers"]) == [305, 310, 330, 330]
    assert _lines(figure)["registry DRL"] == pytest.approx(api["registry"]["drl_display"])
    assert api["registry"]["drl_display"] == _api(everyone, params)["registry"]["drl_display"]
    home = delta.get("/").content.decode()
    assert "<td>DELTA</td>" in home  # above the registry DRL of all four sites
