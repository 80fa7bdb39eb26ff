"""Filter parameters that do not parse raise InvalidFiltersError naming the parameter and the problem."""

from __future__ import annotations

import pytest

from registry.dashboards.filters import InvalidFiltersError, filters_from_params


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"date_from": "2025-03-01", "date_to": "2025-02-01"}, "date_to", "before its start"),
        ({"date_from": "yesterday"}, "date_from", "valid date"),
        ({"weight_min": "90", "weight_max": "50"}, "weight_max", "below the lowest"),
        ({"weight_min": "heavy"}, "weight_min", "number"),
        ({"weight_band": "adult_standard", "weight_min": "40"}, "weight_band", "not both"),
        ({"weight_band": "sumo"}, "weight_band", "valid choice"),
        ({"age_band": "teen"}, "age_band", "valid choice"),
        ({"sex": "X"}, "sex", "valid choice"),
        ({"device": "1.5"}, "device", "whole number"),
        ({"modality": "XR"}, "modality", "valid choice"),
    ],
)
def test_bad_filter_parameters_are_refused(params: dict[str, str], field: str, words: str) -> None:
    with pytest.raises(InvalidFiltersError) as refused:
        filters_from_params(params)
    assert words in " ".join(refused.value.errors[field])
