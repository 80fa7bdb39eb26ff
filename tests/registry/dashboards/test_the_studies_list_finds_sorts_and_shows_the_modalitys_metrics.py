"""/studies/: free text on description and protocol, sortable columns, the modality's main metrics as
columns in display units, the drill-down's filters kept, and a way back to the dashboard.

DLPs from the dashboards' registry fixture (conftest SITE_DLPS): ALPHA 300, 320, 340, 360 mGy·cm.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils.html import strip_tags

from registry.models import Site, StandardExam, Study
from tests.registry.dashboards.conftest import SITE_DLPS, member_browser
from tests.registry.statistics.conftest import EventFactory, ReportFactory

pytestmark = pytest.mark.django_db


def _column(html: str, header: str) -> list[str]:
    table = re.search(r'<table class="submissions studies">(.*?)</table>', html, re.S)
    assert table is not None
    headers = [
        " ".join(strip_tags(cell).split()) for cell in re.findall(r"<th[^>]*>(.*?)</th>", table[1], re.S)
    ]
    index = next(number for number, text in enumerate(headers) if text.startswith(header))
    rows = re.findall(r"<tr>(.*?)</tr>", table[1].split("</thead>")[1], re.S)
    return [
        " ".join(strip_tags(re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[index]).split()) for row in rows
    ]


@pytest.fixture
def alpha(registry: dict[str, list[Study]]) -> Client:
    return member_browser(Site.objects.get(code="ALPHA"))


def test_a_ct_list_shows_dlp_and_sorts_by_it(alpha: Client, head: StandardExam) -> None:
    params = {"modality": "CT", "site": "ALPHA", "exam": str(head.pk)}
    highest_first = _column(alpha.get("/studies/", {**params, "sort": "-dlp"}).content.decode(), "DLP")
    assert highest_first == ["360", "340", "320", "300"]
    assert sorted(map(float, highest_first)) == sorted(SITE_DLPS["ALPHA"])
    lowest_first = alpha.get("/studies/", {**params, "sort": "dlp"}).content.decode()
    assert _column(lowest_first, "DLP") == ["300", "320", "340", "360"]
    assert 'aria-sort="ascending"' in lowest_first


def test_free_text_finds_a_description_or_a_protocol(alpha: Client, registry: dict[str, list[Study]]) -> None:
    first, second, *_ = registry["ALPHA"]
    Study.objects.filter(pk=first.pk).update(description="CT^SCHAEDEL nativ")
    EventFactory.create(report=ReportFactory.create(study=second), protocol="Head Helical Routine")
    by_description = strip_tags(alpha.get("/studies/", {"text": "schaedel"}).content.decode())
    assert "CT SCHAEDEL nativ" in by_description and "1 study of your sites" in " ".join(
        by_description.split()
    )
    by_protocol = alpha.get("/studies/", {"text": "helical"}).content.decode()
    assert f'href="/studies/{second.pk}/"' in by_protocol
    assert f'href="/studies/{first.pk}/"' not in by_protocol


def test_the_drill_downs_filters_ride_along_and_lead_back(alpha: Client, head: StandardExam) -> None:
    params = {"modality": "CT", "exam": str(head.pk), "metric": "dlp", "weight_band": "adult_standard"}
    html = alpha.get("/studies/", params).content.decode()
    assert '<input type="hidden" name="metric" value="dlp">' in html
    assert '<input type="hidden" name="weight_band" value="adult_standard">' in html
    back = re.search(r'<a href="(/dashboards/drl/\?[^"]+)">← Back to the dashboard', html)
    assert back is not None
    assert (
        back[1].replace("&amp;", "&")
        == f"/dashboards/drl/?modality=CT&exam={head.pk}&metric=dlp&weight_band=adult_standard"
    )
