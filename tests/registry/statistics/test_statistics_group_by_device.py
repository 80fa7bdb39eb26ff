"""group_by=device: one row per unit (ICRP 135 allows room medians), studies by their report's device."""

from __future__ import annotations

import pytest

from registry.models import StandardExam, Study
from registry.statistics.drl import drl_statistics
from registry.statistics.metrics import METRICS
from tests.registry.statistics.conftest import DeviceFactory, ReportFactory, SiteFactory, StudyFactory

pytestmark = pytest.mark.django_db


def test_studies_are_grouped_by_the_device_of_their_report(
    exam: StandardExam, small_minimum: None, one_site_suffices: None
) -> None:
    north = SiteFactory.create(code="NORTH")
    first, second = (
        DeviceFactory.create(site=north, display_name="CT 1"),
        DeviceFactory.create(site=north, display_name="CT 2"),
    )
    for device, dlps in ((first, (100, 200, 300)), (second, (500, 700))):
        for dlp in dlps:
            ReportFactory.create(
                study=StudyFactory.create(site=north, standard_exam=exam, ct_dlp_total_mgycm=dlp),
                device=device,
            )
    stats = drl_statistics(
        Study.objects.all(), exam=exam, metric=METRICS["dlp"], modality="CT", group_by="device"
    )
    assert [
        (row.site, row.device, row.device_name, row.values.n, row.values.median) for row in stats.groups
    ] == [
        ("NORTH", first.pk, "CT 1", 3, 200.0),
        ("NORTH", second.pk, "CT 2", 2, 600.0),
    ]
    # Devices are the groups the DRL counts: only CT 1 has 3 studies.
    assert (stats.registry.sites_counted, stats.registry.drl) == (1, 200.0)
