"""The histogram of a protocol (per-event values) or of an exam (per-exam values): pre-binned in the
database, a round bin width, each bin [lower edge, next edge), the edges and the population stated.

DLP per sequence 100, 140, 150, 260, 300 mGy·cm: the range 200 / 20 bins = 10, a round width, from 100; so
100 → bin 0, 140 → bin 4, 150 (on an edge) → bin 5, 260 → bin 16, 300 → bin 20, 21 bins with edges 100-310.
"""

from __future__ import annotations

import pytest

from registry.models import Site
from tests.registry.dashboards.conftest import member_browser, site
from tests.registry.dashboards.protocol_helpers import chart, events, subtitle
from tests.registry.statistics.conftest import ExamFactory, StudyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def north() -> Site:
    return site("NORTH")


def test_a_protocols_events_fall_into_hand_computed_bins(north: Site) -> None:
    for dlp in (100.0, 140.0, 150.0, 260.0, 300.0):
        events(StudyFactory.create(site=north), "Head", {"ctdivol_mgy": 10.0, "dlp_mgycm": dlp})
    events(StudyFactory.create(site=north), "Chest", {"ctdivol_mgy": 10.0, "dlp_mgycm": 5000.0})  # not Head
    figure = chart(member_browser(north), "histogram", modality="CT", metric="dlp_event", protocol="Head")
    bars = figure["data"][0]
    assert bars["meta"]["edges"] == [100.0 + 10 * index for index in range(22)]
    counts = [0] * 21
    for index in (0, 4, 5, 16, 20):
        counts[index] = 1
    assert bars["y"] == counts
    assert bars["customdata"][5] == [150.0, 160.0]
    assert "Head" in figure["layout"]["title"]["text"]
    words = subtitle(figure)
    assert "5 events in 5 studies at 1 site" in words
    assert "bins of 10 mGy·cm from 100 mGy·cm, each from its lower edge up to the next" in words


def test_an_exams_histogram_counts_one_value_per_study(north: Site) -> None:
    head, other = ExamFactory.create(name="CT head"), ExamFactory.create(name="CT chest")
    for dlp in (800.0, 900.0, 1000.0):
        study = StudyFactory.create(site=north, standard_exam=head, ct_dlp_total_mgycm=dlp)
        events(study, "Head", {"ctdivol_mgy": 40.0}, {"ctdivol_mgy": 45.0})  # two events, one study value
    StudyFactory.create(site=north, standard_exam=other, ct_dlp_total_mgycm=5.0)
    figure = chart(member_browser(north), "histogram", modality="CT", metric="dlp", exam=head.pk)
    bars = figure["data"][0]
    assert (bars["meta"]["start"], bars["meta"]["width"]) == (800.0, 10.0)  # 200 / 20 = 10
    assert (sum(bars["y"]), bars["y"][0], bars["y"][10], bars["y"][20]) == (3, 1, 1, 1)
    assert figure["layout"]["yaxis"]["title"]["text"] == "Studies"
    assert "exam CT head" in figure["layout"]["title"]["text"]
    assert subtitle(figure).startswith("3 studies at 1 site;")


def test_a_value_on_an_edge_stays_in_the_bin_it_starts(north: Site) -> None:
    # 3e-4 Gy·m2 is 2.9999999999999996 Gy·cm² in floating point; it belongs to the bin from 3.
    for dap in (1e-4, 3e-4):
        events(StudyFactory.create(site=north, modality="DX"), "Chest", {"dap_gym2": dap})
    bars = chart(member_browser(north), "histogram", modality="DX", metric="dap_event")["data"][0]
    assert (bars["meta"]["start"], bars["meta"]["width"]) == (1.0, 0.1)
    assert bars["meta"]["edges"][-2:] == [3.0, 3.1]
    assert bars["y"][0] == bars["y"][-1] == 1 and sum(bars["y"]) == 2


def test_no_values_say_so_instead_of_empty_axes(north: Site) -> None:
    figure = chart(member_browser(north), "histogram", modality="CT", metric="dlp_event")
    assert figure["data"] == []
    assert figure["layout"]["annotations"][0]["text"] == "No events with a value for these filters"
