"""Published values are stored in the metric's canonical unit; the unit the source states is kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from registry.models import ReferenceLevel
from tests.registry.reference_levels.conftest import Load

# (lookup, registry metric, canonical value, canonical unit, source unit), each read from the CSVs by hand.
CASES = [
    # drl.csv: ACR DIR-Fluoro 2019 IVC filter insertion DAP P50 14.19 Gy.cm2 = 14.19e-4 Gy.m2
    (
        {"issuer": "ACR DIR-Fluoro", "exam__name": "IVC filter insertion", "metric": "dap"},
        0.001419,
        "Gy.m2",
        "Gy.cm2",
    ),
    # drl.csv: the same exam's reference-point air kerma P50 55.8 mGy = 0.0558 Gy
    (
        {"issuer": "ACR DIR-Fluoro", "exam__name": "IVC filter insertion", "metric": "dose_rp"},
        0.0558,
        "Gy",
        "mGy",
    ),
    # thresholds.csv: NCRP 168 SRDL reference air kerma 5 Gy
    ({"issuer": "NCRP", "metric": "dose_rp"}, 5.0, "Gy", "Gy"),
    # thresholds.csv: NCRP 168 SRDL air kerma-area product 500 Gy.cm2 = 0.05 Gy.m2
    ({"issuer": "NCRP", "metric": "dap"}, 0.05, "Gy.m2", "Gy.cm2"),
    # thresholds.csv: NCRP 168 SRDL fluoroscopy time 60 min = 3600 s
    ({"issuer": "NCRP", "metric": "fluoro_time"}, 3600.0, "s", "min"),
    # thresholds.csv: StrlSchV total DAP per fluoroscopy examination 200 Gy.cm2 = 0.02 Gy.m2
    ({"issuer__startswith": "German", "metric": "dap"}, 0.02, "Gy.m2", "Gy.cm2"),
]


@pytest.mark.parametrize(("lookup", "value", "unit", "source_unit"), CASES)
def test_value_is_stored_in_the_canonical_unit(
    published: Path, load: Load, lookup: dict[str, str], value: float, unit: str, source_unit: str
) -> None:
    load(published)
    level = ReferenceLevel.objects.get(**lookup)
    assert level.value == pytest.approx(value)
    assert (level.unit, level.source_unit) == (unit, source_unit)


@pytest.mark.parametrize(
    ("lookup", "metric"),
    [
        # drl.csv: UKHSA CTDIvol is per sequence (47 mGy for Head, acute stroke)
        ({"issuer": "UKHSA", "exam__name": "Head", "value": 47}, "ctdivol"),
        # drl.csv: UCSF CTDIvol is per examination (US Head P50 44 mGy)
        ({"issuer__startswith": "UCSF", "exam__name": "Head", "value": 44}, "ctdivol_exam"),
        # thresholds.csv: StrlSchV CTDIvol per examination (brain) 120 mGy
        ({"name": "CTDIvol per examination (brain)"}, "ctdivol_exam"),
        # thresholds.csv: AAPM notification values are per sequence (adult head 80 mGy)
        ({"name": "Adult head notification value"}, "ctdivol"),
    ],
)
def test_ctdivol_maps_to_the_registry_metric_of_its_scope(
    published: Path, load: Load, lookup: dict[str, object], metric: str
) -> None:
    load(published)
    assert ReferenceLevel.objects.get(**lookup).metric == metric
