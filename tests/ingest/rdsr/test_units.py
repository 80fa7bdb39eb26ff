"""Unit conversion factors, checked against the definitions (1 Gy·m² = 10⁴ Gy·cm² = 10⁵ dGy·cm²)."""

from __future__ import annotations

import pytest

from ingest.rdsr.units import Quantity, conversion, convert


@pytest.mark.parametrize(
    ("value", "unit", "quantity", "expected"),
    [
        (1.0, "Gy.m2", Quantity.DAP, 1.0),
        (3.5, "Gym2", Quantity.DAP, 3.5),  # Siemens spelling
        (12.0, "dGy.cm2", Quantity.DAP, 12.0e-5),  # Canon Ultimax-i
        (12.0, "cGy.cm2", Quantity.DAP, 12.0e-6),
        (12.0, "mGy.cm2", Quantity.DAP, 12.0e-7),
        (12.0, "uGy.m2", Quantity.DAP, 12.0e-6),
        (250.0, "mGy", Quantity.DOSE_GY, 0.25),
        (0.25, "Gy", Quantity.DOSE_MGY, 250.0),
        (75.2, "mGycm", Quantity.DLP, 75.2),
        (51.25, "ms", Quantity.TIME_S, 0.05125),
        (800.0, "uA.s", Quantity.EXPOSURE_MAS, 0.8),
        (20918.5, "uAs", Quantity.EXPOSURE_MAS, 20.9185),
        (2.0, "min", Quantity.TIME_S, 120.0),
        (178.0, "cm", Quantity.LENGTH_M, 1.78),
        (1.78, "m", Quantity.LENGTH_M, 1.78),
        (4.3, "cm", Quantity.LENGTH_MM, 43.0),
        (0.4, "GBq", Quantity.ACTIVITY_MBQ, 400.0),
        (10.0, "mCi", Quantity.ACTIVITY_MBQ, 370.0),
        (18.0, "mo", Quantity.AGE_YEARS, 1.5),
        (2.0, "A", Quantity.CURRENT_MA, 2000.0),  # "a" is also years: quantities keep them apart
    ],
)
def test_a_value_converts_to_the_canonical_unit(
    value: float, unit: str, quantity: Quantity, expected: float
) -> None:
    factor = conversion(unit, quantity)
    assert factor is not None
    assert convert(value, factor) == pytest.approx(expected, rel=1e-12)


def test_decimal_conversions_are_rounded_once() -> None:
    factor = conversion("ms", Quantity.TIME_S)
    assert factor is not None
    assert convert(51.25, factor) == 0.05125


@pytest.mark.parametrize(
    ("unit", "quantity"), [("mGy", Quantity.DAP), ("furlong", Quantity.LENGTH_MM), ("kV", Quantity.TIME_S)]
)
def test_a_unit_of_another_quantity_is_unknown(unit: str, quantity: Quantity) -> None:
    assert conversion(unit, quantity) is None
