"""The dashboard form offers a device filter: only the devices of the user's sites, and it narrows charts."""

from __future__ import annotations

import pytest

from registry.models import Site, StandardExam, Study
from tests.registry.dashboards.conftest import DASHBOARD_URL, chart, member_browser
from tests.registry.statistics.conftest import DeviceFactory, EventFactory, ReportFactory

pytestmark = pytest.mark.django_db


def test_only_the_users_devices_are_offered_and_one_narrows_the_bars(
    registry: dict[str, list[Study]], sites: list[Site], head: StandardExam
) -> None:
    alpha, bravo = (Site.objects.get(code=code) for code in ("ALPHA", "BRAVO"))
    ours = DeviceFactory.create(site=alpha, display_name="ALPHA CT 1")
    DeviceFactory.create(site=bravo, display_name="BRAVO CT 1")
    for study in registry["ALPHA"][:2]:  # two of ALPHA's four studies were made on "ALPHA CT 1"
        EventFactory.create(report=ReportFactory.create(study=study, device=ours))
    client = member_browser(alpha)
    page = client.get(DASHBOARD_URL, {"modality": "CT", "exam": head.pk}).content.decode()
    assert f'<option value="{ours.pk}">ALPHA CT 1 (ALPHA)</option>' in page
    assert "BRAVO CT 1" not in page
    figure = chart(client, "drl", {"modality": "CT", "exam": head.pk, "device": ours.pk})
    # The other counting sites are anonymous bars without customdata (no n, no link).
    n_values = [point[0] for trace in figure["data"] for point in trace.get("customdata", [])]
    assert n_values == [2]  # ALPHA's bar now counts only the two studies of that device
