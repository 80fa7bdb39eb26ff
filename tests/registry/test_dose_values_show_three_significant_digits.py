"""Dose values on pages: three significant digits, no exponent, a dash for none (registry.templatetags)."""

from __future__ import annotations

import pytest

from registry.templatetags.dose import significant, times


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (8.13, "8.13"),
        (236.09, "236"),
        (1234.5, "1230"),
        (0.000123456 * 1e4, "1.23"),  # a DAP of 1.23456e-4 Gy·m² in Gy·cm²
        (0.0125, "0.0125"),
        (0.15, "0.15"),
        (2.0, "2"),
        (-2.345, "-2.35"),
        (0.0, "0"),
        (None, "—"),
        (float("nan"), "—"),
    ],
)
def test_a_value_shows_three_significant_digits(value: float | None, shown: str) -> None:
    assert significant(value) == shown


def test_a_canonical_value_is_scaled_to_its_display_unit() -> None:
    assert times(0.5, "1000") == 500.0 and times(None, 1e4) is None
