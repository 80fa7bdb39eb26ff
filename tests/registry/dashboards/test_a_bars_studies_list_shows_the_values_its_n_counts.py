"""A bar's link opens the studies behind it with the values its n counts, for the bar's metric.

Hand-made CT: NINE has nine studies of one localizer (0.15 mGy, never counted) and two spirals (8.13 and
7.02 mGy, then 8.23 and 7.12, ... one tenth more per study) and a DLP each. Per sequence, the bar's n is 18
and the list shows 18 CTDIvol values in 9 studies; per exam (DLP) n is 9 with one value per study.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from registry.models import Device, Site, StandardExam, Study
from tests.registry.dashboards.conftest import DASHBOARD_URL, Browser, member_browser, payloads
from tests.registry.statistics.conftest import (
    DeviceFactory,
    EventFactory,
    ReportFactory,
    SiteFactory,
    StudyFactory,
)

pytestmark = pytest.mark.django_db

START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def ct_study(
    site: Site, exam: StandardExam, index: int, *, device: Device | None = None, **fields: Any
) -> Study:
    """A CT study of `exam`: a localizer of 0.15 mGy, then spirals of 8.13 and 7.02 mGy (+ index/10 each)."""
    study = StudyFactory.create(
        site=site, standard_exam=exam, ct_dlp_total_mgycm=300.0 + 10 * index, **fields
    )
    report = ReportFactory.create(study=study, device=device or DeviceFactory.create(site=site))
    acquisitions = [(True, 0.15), (False, 8.13 + index / 10), (False, 7.02 + index / 10)]
    for minute, (localizer, ctdivol) in enumerate(acquisitions):
        EventFactory.create(
            report=report,
            localizer=localizer,
            ctdivol_mgy=ctdivol,
            started_at=START + timedelta(minutes=minute),
        )
    return study


@pytest.fixture
def nine(head: StandardExam, small_minimum: None) -> list[Study]:
    site = SiteFactory.create(code="NINE")
    scanner = DeviceFactory.create(site=site)
    return [ct_study(site, head, index, device=scanner) for index in range(9)]


def bar(client: Browser, params: dict[str, Any], label: str) -> tuple[int, str]:
    """The n in a named bar's hover and the link a click on it follows (the last item of its customdata)."""
    figure = payloads(client.get(DASHBOARD_URL, params))["chart-drl"]
    for trace in figure["data"]:
        names = trace["y"] if trace.get("orientation") == "h" else trace["x"]  # device bars lie on their side
        for name, data in zip(names, trace.get("customdata") or [], strict=False):
            if name == label:
                return data[0], data[-1]
    raise AssertionError(f"no bar {label}")


def api_n(client: Browser, params: dict[str, Any], site: str) -> int:
    api = APIClient()
    api.cookies = client.cookies
    response = api.get("/api/v1/stats/drl/", params)
    assert response.status_code == 200, response.content
    (row,) = [row for row in response.json()["sites"] if row["site"] == site]
    return int(row["n"])


def listed(html: str) -> dict[str, list[str]]:
    """Each listed study's id with the values of the metric column (empty without a metric)."""
    rows = re.findall(r'<td><a href="/studies/(\d+)/">(.*?)</tr>', html, flags=re.S)
    found = {}
    for pk, rest in rows:
        cell = re.search(r'<td class="value metric-values">(.*?)</td>', rest, flags=re.S)
        found[pk] = [value for value in cell.group(1).split(", ") if value] if cell else []
    return found


def visible(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_per_sequence_bar_lists_its_18_values_in_9_studies(nine: list[Study], head: StandardExam) -> None:
    client = member_browser(Site.objects.get(code="NINE"))
    params = {"modality": "CT", "exam": head.pk, "metric": "ctdivol"}
    n, link = bar(client, params, "NINE")
    assert n == api_n(client, params, "NINE") == 18
    assert parse_qs(urlsplit(link).query)["metric"] == ["ctdivol"]
    html = client.get(link).content.decode()
    rows = listed(html)
    assert set(rows) == {str(study.pk) for study in nine}
    assert sum(len(values) for values in rows.values()) == n
    assert rows[str(nine[0].pk)] == ["8.13", "7.02"]  # in acquisition order, three significant digits
    assert not any("0.15" in values for values in rows.values())  # the localizers are not counted
    assert "CTDIvol per sequence (mGy)" in html
    assert "18 CTDIvol per sequence values" in visible(html) and "in 9 studies" in visible(html)


def test_a_per_exam_bar_still_lists_one_dlp_per_study(nine: list[Study], head: StandardExam) -> None:
    client = member_browser(Site.objects.get(code="NINE"))
    params = {"modality": "CT", "exam": head.pk, "metric": "dlp"}
    n, link = bar(client, params, "NINE")
    assert n == api_n(client, params, "NINE") == 9
    html = client.get(link).content.decode()
    assert listed(html) == {str(study.pk): [f"{study.ct_dlp_total_mgycm:g}"] for study in nine}
    assert "DLP per examination (mGy·cm)" in html and "9 DLP per examination values" in visible(html)


@pytest.mark.parametrize(
    "filters", [{"sex": "F"}, {"date_from": "2025-03-02"}, {"weight_band": "adult_standard"}]
)
def test_the_link_carries_every_filter_and_the_list_counts_the_same_n(
    head: StandardExam, small_minimum: None, filters: dict[str, str]
) -> None:
    site = SiteFactory.create(code="NINE")
    # A third each: the other sex, an earlier date, a lighter patient; 6 studies (12 spirals) pass a filter.
    other: list[dict[str, Any]] = [
        {"patient_sex": "M"},
        {"study_date": date(2025, 3, 1)},
        {"patient_weight_kg": 40},
    ]
    for index in range(9):
        ct_study(site, head, index, **{"study_date": date(2025, 3, 5), **other[index % 3]})
    client = member_browser(site)
    params = {"modality": "CT", "exam": head.pk, "metric": "ctdivol", **filters}
    n, link = bar(client, params, "NINE")
    query = parse_qs(urlsplit(link).query)
    assert all(query[name] == [value] for name, value in filters.items())
    assert n == api_n(client, params, "NINE") == 12
    rows = listed(client.get(link).content.decode())
    assert len(rows) == 6 and sum(len(values) for values in rows.values()) == n


def test_a_device_bar_lists_only_that_devices_values(head: StandardExam, small_minimum: None) -> None:
    """A study scanned on two devices: each device's bar counts its own spirals, and so does its list."""
    site = SiteFactory.create(code="NINE")
    first, second = DeviceFactory.create(site=site), DeviceFactory.create(site=site)
    studies = [ct_study(site, head, index, device=first) for index in range(3)]
    report = ReportFactory.create(study=studies[0], device=second)
    EventFactory.create(
        report=report, localizer=False, ctdivol_mgy=20.5, started_at=START + timedelta(hours=1)
    )
    for index in range(3, 6):
        ct_study(site, head, index, device=second)
    client = member_browser(site)
    params = {"modality": "CT", "exam": head.pk, "metric": "ctdivol", "group_by": "device"}
    for device, expected in ((first, 6), (second, 7)):
        n, link = bar(client, params, f"{device} (NINE)")
        assert n == expected
        rows = listed(client.get(link).content.decode())
        assert sum(len(values) for values in rows.values()) == n
    assert listed(client.get(bar(client, params, f"{first} (NINE)")[1]).content.decode())[
        str(studies[0].pk)
    ] == [
        "8.13",
        "7.02",
    ]


def test_without_a_metric_the_list_has_no_values_column(nine: list[Study], head: StandardExam) -> None:
    client = member_browser(Site.objects.get(code="NINE"))
    html = client.get("/studies/", {"site": "NINE", "exam": head.pk}).content.decode()
    assert len(listed(html)) == 9 and "metric-values" not in html and "values-behind" not in html


def test_an_unknown_metric_is_a_400(nine: list[Study]) -> None:
    client = member_browser(Site.objects.get(code="NINE"))
    response = client.get("/studies/", {"metric": "dose_area"})
    assert response.status_code == 400 and "Unknown metric" in response.content.decode()


def test_the_values_cost_the_same_queries_for_3_or_12_studies(
    head: StandardExam, small_minimum: None
) -> None:
    """One query for a page's values and one for their total, however many studies and events."""
    site = SiteFactory.create(code="NINE")
    client = member_browser(site)
    params = {"site": "NINE", "exam": head.pk, "metric": "ctdivol", "sex": "F"}
    counts = []
    for index in range(12):
        ct_study(site, head, index)
        if index + 1 in (3, 12):
            with CaptureQueriesContext(connection) as queries:
                assert client.get("/studies/", params).status_code == 200
            counts.append(len(queries))
    assert counts[0] == counts[1]
