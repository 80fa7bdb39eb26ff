"""Dose against patient size: weight, height or BMI as the study states them (a stated 0 is unknown), each
point a study's (or event's) value; the studies without the size are counted, left out and said so.

A: 80 kg, 2.00 m (BMI 80 / 2² = 20), DLP 1000; B: 60 kg, no height, DLP 800; C: no weight, 1.50 m, DLP 600;
D: 0 kg and 0 m (both unknown), DLP 500.
"""

from __future__ import annotations

import pytest

from registry.models import Site, Study
from tests.registry.dashboards.conftest import member_browser, site
from tests.registry.dashboards.protocol_helpers import chart, events, subtitle
from tests.registry.statistics.conftest import StudyFactory

pytestmark = pytest.mark.django_db
SIZES = {"A": (80.0, 2.0, 1000.0), "B": (60.0, None, 800.0), "C": (None, 1.5, 600.0), "D": (0.0, 0.0, 500.0)}


@pytest.fixture
def north() -> Site:
    north = site("NORTH")
    for name, (weight, height, dlp) in SIZES.items():
        study = StudyFactory.create(
            site=north, patient_weight_kg=weight, patient_height_m=height, ct_dlp_total_mgycm=dlp
        )
        if name == "A":
            events(study, "Head", {"ctdivol_mgy": 40.0}, {"ctdivol_mgy": 50.0})
        elif name in ("B", "C"):
            events(study, "Head", {"ctdivol_mgy": 30.0})
    return north


@pytest.mark.parametrize(
    ("size", "points", "unit", "left_out"),
    [
        ("weight", [(80.0, 1000.0), (60.0, 800.0)], "kg", "2 studies at 1 site with a weight; 2 studies"),
        ("height", [(200.0, 1000.0), (150.0, 600.0)], "cm", "2 studies at 1 site with a height; 2 studies"),
        ("bmi", [(20.0, 1000.0)], "kg/m²", "1 study at 1 site with a weight and a height; 3 studies"),
    ],
)
def test_each_size_shows_the_studies_that_state_it(
    north: Site, size: str, points: list[tuple[float, float]], unit: str, left_out: str
) -> None:
    figure = chart(member_browser(north), "size", modality="CT", metric="dlp", size=size)
    (trace,) = figure["data"]
    assert trace["x"] == pytest.approx([x for x, _ in points])  # in study order; 1.5 m is 150 cm
    assert trace["y"] == [y for _, y in points]
    assert trace["name"] == "NORTH"
    assert figure["layout"]["xaxis"]["title"]["text"].endswith(f"({unit})")
    assert f"Counted: {left_out} without it left out" in subtitle(figure)


def test_per_event_values_count_events_and_their_studies(north: Site) -> None:
    figure = chart(member_browser(north), "size", modality="CT", metric="ctdivol", size="weight")
    (trace,) = figure["data"]
    assert sorted(zip(trace["x"], trace["y"], strict=True)) == [(60.0, 30.0), (80.0, 40.0), (80.0, 50.0)]
    words = subtitle(figure)
    assert "3 events in 2 studies at 1 site with a weight; 1 study (1 event) without it left out" in words


def test_each_point_opens_its_study(north: Site) -> None:
    figure = chart(member_browser(north), "size", modality="CT", metric="dlp", size="bmi")
    study = Study.objects.get(ct_dlp_total_mgycm=1000.0)
    assert figure["data"][0]["customdata"] == [f"/studies/{study.pk}/"]
