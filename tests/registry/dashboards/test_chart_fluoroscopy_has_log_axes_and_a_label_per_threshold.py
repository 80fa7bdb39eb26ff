"""The fluoroscopy follow-up chart: DAP against air kerma on log axes holding every point and threshold,
and every threshold line labelled beside it (DAP thresholds in the right margin, air kerma thresholds in
rows above the plot), labels of close thresholds moved apart."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from registry.models import Site
from tests.registry.dashboards.conftest import chart, member_browser, site
from tests.registry.statistics.conftest import StudyFactory

pytestmark = pytest.mark.django_db

# NCRP 168's substantial radiation dose levels, a lower notification level for each, and a CT value that
# is no fluoroscopy threshold. 450 and 500 Gy·cm² lie close together.
THRESHOLDS = """issuer,document,year,modality,name,metric,unit,scope,value,status,note
NCRP,Report No. 168,2010,RF,SRDL reference air kerma,dose_rp,Gy,per_exam,5,verified,patient follow-up
NCRP,Report No. 168,2010,RF,SRDL air kerma-area product,dap,Gy.cm2,per_exam,500,unverified,patient follow-up
Local,Follow-up policy,2024,RF,Notification air kerma,dose_rp,Gy,per_exam,3,verified,
Local,Follow-up policy,2024,RF,Notification DAP,dap,Gy.cm2,per_exam,450,verified,
AAPM,CT dose check,2011,CT,Adult head notification value,ctdivol,mGy,per_sequence,80,unverified,
"""
# (air kerma in Gy, DAP in Gy·m²) as stored: 200 mGy and 8 Gy·cm², 1500 mGy and 123, 6000 mGy and 900.
STUDIES = ((0.2, 0.0008), (1.5, 0.0123), (6.0, 0.09))


@pytest.fixture
def lab(tmp_path: Path) -> Site:
    (tmp_path / "thresholds.csv").write_text(THRESHOLDS, encoding="utf-8")
    call_command("load_reference_levels", str(tmp_path / "thresholds.csv"))
    here = site("CATHLAB")
    for dose_rp, dap in STUDIES:
        StudyFactory.create(site=here, modality="RF", dose_rp_total_gy=dose_rp, dap_total_gym2=dap)
    StudyFactory.create(site=here, modality="RF", dose_rp_total_gy=0.0, dap_total_gym2=0.0001)  # no log
    return here


@pytest.fixture
def figure(lab: Site) -> dict[str, Any]:
    return chart(member_browser(lab), "fluoroscopy", {"modality": "RF"})


def test_both_axes_are_log_and_hold_every_point_and_threshold(figure: dict[str, Any]) -> None:
    layout = figure["layout"]
    assert layout["xaxis"]["type"] == layout["yaxis"]["type"] == "log"
    (points,) = figure["data"]
    assert points["x"] == [pytest.approx(200.0), pytest.approx(1500.0), pytest.approx(6000.0)]  # mGy
    assert points["y"] == [pytest.approx(8.0), pytest.approx(123.0), pytest.approx(900.0)]  # Gy·cm²
    for axis, values in (("xaxis", (200.0, 3000.0, 5000.0, 6000.0)), ("yaxis", (8.0, 450.0, 500.0, 900.0))):
        low, high = layout[axis]["range"]  # in decades, as plotly takes a log axis's range
        assert low < math.log10(min(values)) and math.log10(max(values)) < high
    # A study with no air kerma has no place on a log axis; the chart says it is left out.
    assert layout["title"]["subtitle"]["text"] == "3 of 4 studies shown"


def test_every_threshold_line_has_its_label_beside_it(figure: dict[str, Any]) -> None:
    layout = figure["layout"]
    lines = [shape for shape in layout["shapes"] if shape["name"].startswith("threshold")]
    assert sorted(
        (shape["name"], shape["x0"] if shape["xref"] == "x" else shape["y0"]) for shape in lines
    ) == [
        ("threshold dap", pytest.approx(450.0)),
        ("threshold dap", pytest.approx(500.0)),
        ("threshold dose_rp", pytest.approx(3000.0)),
        ("threshold dose_rp", pytest.approx(5000.0)),
    ]
    labels = {note["text"].replace("<br>", " "): note for note in layout["annotations"]}
    dap = {"Notification DAP 450 Gy·cm²": 450.0, "SRDL air kerma-area product 500 Gy·cm²": 500.0}
    kerma = {"Notification air kerma 3000 mGy": 3000.0, "SRDL reference air kerma 5000 mGy": 5000.0}
    assert set(labels) == set(dap) | set(kerma)
    for text, value in dap.items():  # at its line's height (log axis: in decades), in the right margin
        note = labels[text]
        assert (note["yref"], note["y"]) == ("y", pytest.approx(math.log10(value)))
        assert (note["xref"], note["x"], note["xanchor"]) == ("paper", 1.0, "left")
    for text, value in kerma.items():  # at its line, in a row above the plot
        note = labels[text]
        assert (note["xref"], note["x"]) == ("x", pytest.approx(math.log10(value)))
        assert (note["yref"], note["y"], note["yanchor"]) == ("paper", 1.0, "bottom")
    assert labels["SRDL air kerma-area product 500 Gy·cm²"]["hovertext"] == (
        "NCRP Report No. 168 2010: SRDL air kerma-area product 500 Gy·cm²"
    )


def test_labels_of_close_thresholds_are_moved_apart(figure: dict[str, Any]) -> None:
    """450 and 500 Gy·cm² are a few px apart on a log axis: their labels move apart (the upper one up, or,
    near the plot's top, the lower one down) until their middles are as far apart as half of each label's
    height (lines of 11 px text); the two air kerma rows stack."""
    layout = figure["layout"]
    labels = {note["text"].split("<br>")[0]: note for note in layout["annotations"]}
    low, high = layout["yaxis"]["range"]
    plot_px = layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]
    lower, upper = labels["Notification DAP 450"], labels["SRDL air kerma-area"]
    lines_apart = plot_px * (upper["y"] - lower["y"]) / (high - low)
    assert lines_apart < 14  # where the lines are, one label would be printed over the other
    assert upper["yshift"] > lower["yshift"]  # the 500's label stays above the 450's
    heights = [14 * (note["text"].count("<br>") + 1) for note in (lower, upper)]
    assert lines_apart + upper["yshift"] - lower["yshift"] >= sum(heights) / 2
    rows = [labels[name] for name in ("Notification air", "SRDL reference air")]  # 3000 nearer the plot
    assert rows[1]["yshift"] - rows[0]["yshift"] >= 14 * (rows[0]["text"].count("<br>") + 1)
