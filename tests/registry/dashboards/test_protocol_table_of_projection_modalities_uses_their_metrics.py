"""Radiography, fluoroscopy and mammography per acquisition protocol: DAP and Ka,r per event (DX, RF) and
AGD per view (MG), in display units, over the events that report the modality's first metric.

DAP 1, 2, 3, 4 Gy·cm² (1e-4 to 4e-4 Gy·m² as stored) and Ka,r 1, 2, 3, 4 mGy: median and mean 2.5, P25 at
0.75 → 1.75, P75 at 2.25 → 3.25. AGD 1.0, 1.5, 2.0 mGy: median and mean 1.5, P25 1.25, P75 1.75.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.registry.dashboards.conftest import member_browser, site
from tests.registry.dashboards.protocol_helpers import events, page, table_rows
from tests.registry.statistics.conftest import StudyFactory

pytestmark = pytest.mark.django_db

PROJECTION = [{"dap_gym2": n * 1e-4, "dose_rp_gy": n * 1e-3} for n in (1, 2, 3, 4)]
STATS = ["4", "2.5", "2.5", "1.75", "3.25"]
BOTH = ["2", "1", *STATS, *STATS]  # studies, sites, then DAP and Ka,r: n, median, mean, P25, P75


@pytest.mark.parametrize(
    ("modality", "values", "not_counted", "row", "rule"),
    [
        ("DX", PROJECTION, {"dose_rp_gy": 0.5}, BOTH, "radiography exposures"),
        (
            "RF",
            PROJECTION,
            {"dose_rp_gy": 0.5},
            ["2", "1", *STATS, *STATS],
            "fluoroscopy runs and acquisitions",
        ),
        (
            "MG",
            [{"agd_mgy": agd} for agd in (1.0, 1.5, 2.0)],
            {"entrance_exposure_mgy": 9.0},
            ["2", "1", "3", "1.5", "1.5", "1.25", "1.75"],
            "mammography views",
        ),
    ],
)
def test_each_protocol_shows_the_modalitys_metrics(
    modality: str, values: list[dict[str, Any]], not_counted: dict[str, Any], row: list[str], rule: str
) -> None:
    here = site("HERE")
    first, second = (StudyFactory.create(site=here, modality=modality) for _ in range(2))
    events(first, "Chest^PA", *values[:2])
    events(second, "Chest^PA", *values[2:], not_counted)  # the last states no DAP (no AGD): not counted
    html, _ = page(member_browser(here), modality=modality)
    assert table_rows(html) == {"Chest PA": row}
    assert f"Counted: {rule} (irradiation events) that report a" in html


@pytest.mark.parametrize(
    ("modality", "headers"),
    [
        ("DX", ["DAP (KAP) per event (Gy·cm²)", "Ka,r per event (mGy)"]),
        ("MG", ["Average glandular dose per view (mGy)"]),
    ],
)
def test_the_columns_name_each_metric_with_its_display_unit(modality: str, headers: list[str]) -> None:
    here = site("HERE")
    events(StudyFactory.create(site=here, modality=modality), "P", {"dap_gym2": 1e-4, "agd_mgy": 1.0})
    html, _ = page(member_browser(here), modality=modality)
    for header in headers:
        assert f'<th scope="colgroup" colspan="5">{header}</th>' in html
