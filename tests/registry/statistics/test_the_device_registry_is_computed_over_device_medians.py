"""group_by=device: the registry typical value and DRL are percentiles of the device (room) medians.

ICRP 135 allows room medians; five devices at two sites then give a registry DRL by device while by site
(two sites) there is none. The caller's own devices are named rows, the others anonymous medians.
"""

from __future__ import annotations

from typing import Any

import pytest

from registry.models import Device, Site, StandardExam
from tests.registry.statistics.conftest import (
    DRL_URL,
    DeviceFactory,
    ReportFactory,
    SiteFactory,
    StudyFactory,
    drl_query,
    member_client,
)

pytestmark = pytest.mark.django_db

# Device medians 110, 210, 310 at NORTH and 410, 510 at SOUTH (three studies each).
DEVICES = {"NORTH": (110, 210, 310), "SOUTH": (410, 510)}


@pytest.fixture
def north(exam: StandardExam, small_minimum: None) -> Site:
    for code, medians in DEVICES.items():
        site = SiteFactory.create(code=code)
        for median in medians:
            device: Device = DeviceFactory.create(site=site, display_name=f"{code} CT {median}")
            for dlp in (median - 10, median, median + 10):
                study = StudyFactory.create(site=site, standard_exam=exam, ct_dlp_total_mgycm=dlp)
                ReportFactory.create(study=study, device=device)
    return Site.objects.get(code="NORTH")


def _body(north: Site, exam: StandardExam, group_by: str) -> dict[str, Any]:
    return dict(member_client(north).get(DRL_URL, drl_query(exam, group_by=group_by)).json())


def test_by_device_the_levels_are_percentiles_of_the_five_device_medians(
    north: Site, exam: StandardExam
) -> None:
    body = _body(north, exam, "device")
    # 110 210 310 410 510: percentile_cont at positions 2 and 3.
    assert (body["registry"]["typical"], body["registry"]["drl"], body["registry"]["sites_counted"]) == (
        310.0,
        410.0,
        5,
    )
    assert [(row["device_name"], row["median"]) for row in body["sites"]] == [
        ("NORTH CT 110", 110.0),
        ("NORTH CT 210", 210.0),
        ("NORTH CT 310", 310.0),
    ]
    assert sorted(peer["median"] for peer in body["peers"]) == [410.0, 510.0]
    assert "SOUTH" not in str(body)


def test_by_site_two_sites_give_no_registry_levels(north: Site, exam: StandardExam) -> None:
    registry = _body(north, exam, "site")["registry"]
    assert (registry["drl"], registry["reason"]) == (
        None,
        "2 sites reach the minimum sample of 3; 5 are needed",
    )


def test_the_reason_counts_devices_when_grouping_by_device(north: Site, exam: StandardExam) -> None:
    # No study before 2000: no device reaches the minimum.
    body = member_client(north).get(DRL_URL, drl_query(exam, group_by="device", date_to="2000-01-01")).json()
    assert body["registry"]["reason"] == "No device reaches the minimum sample of 3; 5 are needed"
