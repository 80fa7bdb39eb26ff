"""Every reference line is labelled in the right margin, beside its line, and labels of lines close
together are moved apart rather than printed over each other.

The fixture's registry (conftest.SITE_DLPS): registry DRL and typical value both 330 mGy·cm, the DRL's
95 % interval from 310 (upper bound open with five sites), and EC RP 180's 1000 mGy·cm as the published DRL
drawn by default (the first current P75).
"""

from __future__ import annotations

from typing import Any

import pytest

from registry.models import StandardExam
from tests.registry.dashboards.conftest import Browser, chart

pytestmark = pytest.mark.django_db
LINE_PX = 14  # one line of 11 px text, at least


def _labels(figure: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        note["name"]: note for note in figure["layout"]["annotations"] if note["name"].startswith("label ")
    }


def _centre_px(figure: dict[str, Any], note: dict[str, Any]) -> float:
    """Where a right-margin label's middle is drawn, px above the plot's bottom, at the nominal height."""
    layout = figure["layout"]
    low, high = layout["yaxis"]["range"]
    plot_px = layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]
    return float((note["y"] - low) / (high - low) * plot_px + note["yshift"])


@pytest.mark.parametrize("kind", ["drl", "distribution", "trend", "weight"])
def test_each_line_has_one_label_beside_it_in_the_right_margin(
    everyone: Browser, head: StandardExam, kind: str
) -> None:
    figure = chart(everyone, kind, {"modality": "CT", "exam": head.pk, "metric": "dlp"})
    lines = {
        shape["name"]: shape
        for shape in figure["layout"]["shapes"]
        if shape["name"] != "registry DRL 95 % CI"
    }
    labels = _labels(figure)
    assert (
        set(labels)
        == {f"label {name}" for name in lines}
        == {
            "label registry DRL",
            "label typical",
            "label published DRL",
        }
    )
    texts = {name: note["text"].replace("<br>", " ") for name, note in labels.items()}
    assert texts == {
        "label registry DRL": "Registry DRL 330",
        "label typical": "Typical 330",
        "label published DRL": "EC RP 180 2014 DRL 1000",
    }
    assert labels["label registry DRL"]["hovertext"] == (
        "Registry DRL 330 mGy·cm (95 % CI from 310, upper bound open with 5 sites)"
    )
    for name, shape in lines.items():
        note = labels[f"label {name}"]
        assert (note["yref"], note["y"]) == ("y", shape["y0"])  # anchored to its line ...
        assert (note["xref"], note["x"], note["xanchor"]) == ("paper", 1.0, "left")  # ... right of the plot
    assert figure["layout"]["yaxis"]["range"][1] >= 1000.0  # every line inside the plot, none off the axis


def test_labels_of_lines_at_the_same_level_are_moved_apart(everyone: Browser, head: StandardExam) -> None:
    figure = chart(everyone, "drl", {"modality": "CT", "exam": head.pk, "metric": "dlp"})
    labels = _labels(figure)
    drl, typical = labels["label registry DRL"], labels["label typical"]
    assert drl["y"] == typical["y"] == 330.0
    assert abs(_centre_px(figure, drl) - _centre_px(figure, typical)) >= LINE_PX  # one above the other
    assert labels["label published DRL"]["yshift"] == 0  # a line far from the others keeps its place
    plot_px = figure["layout"]["height"] - figure["layout"]["margin"]["t"] - figure["layout"]["margin"]["b"]
    assert all(0 <= _centre_px(figure, note) <= plot_px for note in labels.values())


def test_the_right_margin_holds_the_widest_label(everyone: Browser, head: StandardExam) -> None:
    figure = chart(everyone, "drl", {"modality": "CT", "exam": head.pk, "metric": "dlp"})
    longest = max(len(line) for note in _labels(figure).values() for line in note["text"].split("<br>"))
    assert longest <= 20  # long labels wrap
    assert figure["layout"]["margin"]["r"] >= 4 + 0.6 * 11 * longest  # 0.6 em a character, 4 px from the plot
