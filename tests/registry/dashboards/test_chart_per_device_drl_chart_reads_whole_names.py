"""The DRL chart per device: bars on their side so long device names read whole (wrapped, never cut), a
row of room for each, a title that says "per device", and two devices of one name told apart."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from registry.models import Device, Site, StandardExam, Study
from tests.registry.dashboards.conftest import Browser, chart
from tests.registry.statistics.conftest import DeviceFactory, ReportFactory

pytestmark = pytest.mark.django_db
LONG = "Siemens SOMATOM Definition Edge Force Dual Source"
PARAMS = {"modality": "CT", "metric": "dlp", "group_by": "device"}


@pytest.fixture
def twins(sites: list[Site], registry: dict[str, list[Study]], one_site_suffices: None) -> list[Device]:
    """ALPHA's studies on a scanner with a long name, BRAVO's on two of one model (neither renamed, the
    two returned), each other site's on one scanner: four devices reach the minimum sample of 3."""
    alpha, bravo = sites[0], sites[1]
    pair = [DeviceFactory.create(site=bravo, manufacturer="GE", model_name="Revolution") for _ in range(2)]
    devices = {alpha: DeviceFactory.create(site=alpha, display_name=LONG)}
    for site in sites:
        for index, study in enumerate(registry[site.code]):
            device = pair[index % 2] if site == bravo else devices.get(site)
            device = device or devices.setdefault(site, DeviceFactory.create(site=site))
            ReportFactory.create(study=study, device=device)
    return pair


@pytest.fixture
def figure(everyone: Browser, head: StandardExam, twins: list[Device]) -> dict[str, Any]:
    return chart(everyone, "drl", {**PARAMS, "exam": head.pk})


def test_the_title_says_per_device(figure: dict[str, Any]) -> None:
    title = figure["layout"]["title"]["text"].replace("<br>", " ")
    assert title == "Median per device: CT head routine, DLP per examination"


def test_bars_lie_on_their_side_with_every_name_whole(figure: dict[str, Any]) -> None:
    axis = figure["layout"]["yaxis"]
    assert {trace["orientation"] for trace in figure["data"]} == {"h"}
    assert axis["automargin"] is True and axis["autorange"] == "reversed"  # the first group on top
    assert f"{LONG} (ALPHA)" in axis["tickvals"]
    for name, shown in zip(axis["tickvals"], axis["ticktext"], strict=True):
        lines = shown.split("<br>")
        assert " ".join(lines) == name  # wrapped between words, no character lost
        assert all(len(line) <= 24 for line in lines)
    assert any("<br>" in shown for shown in axis["ticktext"])  # the long name does wrap


def test_each_row_has_room_for_its_name(figure: dict[str, Any]) -> None:
    layout, names = figure["layout"], figure["layout"]["yaxis"]["ticktext"]
    rows_px = (layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]) / len(names)
    assert rows_px >= 14 * max(name.count("<br>") + 1 for name in names)  # 14 px a line of 12 px text


def test_two_devices_of_one_name_are_told_apart(figure: dict[str, Any], twins: list[Device]) -> None:
    names = figure["layout"]["yaxis"]["tickvals"]
    assert [name for name in names if name.startswith("GE Revolution (BRAVO")] == [
        f"GE Revolution (BRAVO, device {twin.pk})" for twin in twins
    ]
    assert len(set(names)) == len(names)


def test_reference_lines_stand_upright_with_labels_in_rows_above_the_plot(figure: dict[str, Any]) -> None:
    names = {"registry DRL", "typical", "published DRL"}
    lines = [shape for shape in figure["layout"]["shapes"] if shape["name"] in names]
    assert len(lines) == 3 and all(shape["xref"] == "x" and shape["x0"] == shape["x1"] for shape in lines)
    labels = [note for note in figure["layout"]["annotations"] if note["name"].startswith("label ")]
    assert {note["name"] for note in labels} == {f"label {name}" for name in names}
    for note in labels:  # above the plot (paper y 1 is its top edge), each in a row of its own
        assert (note["yref"], note["y"], note["yanchor"]) == ("paper", 1.0, "bottom")
    shifts = sorted(note["yshift"] for note in labels)
    assert shifts[0] > 0 and all(high - low >= 14 for low, high in itertools.pairwise(shifts))
    assert figure["layout"]["margin"]["t"] >= shifts[-1] + 14  # the top margin holds the highest row
