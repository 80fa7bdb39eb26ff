"""Unit aliases and conversion to the dose-report contract's canonical units.

Each NUM carries its own unit and devices spell them freely (`Gym2`, `uAs`, `mGycm`, `dGy.cm2`), so a value
is converted from the unit of its own item (rdsr-notes §7). The scheme is ignored: UCUM, UCM and none occur.
"""

from __future__ import annotations

import enum
from fractions import Fraction


class Quantity(enum.Enum):
    """What a number measures; each has one canonical unit in the contract."""

    DAP = "Gy.m2"
    DOSE_GY = "Gy"
    DOSE_MGY = "mGy"
    DLP = "mGy.cm"
    TIME_S = "s"
    EXPOSURE_MAS = "mA.s"
    CURRENT_MA = "mA"
    VOLTAGE_KV = "kV"
    LENGTH_MM = "mm"
    LENGTH_M = "m"
    ACTIVITY_MBQ = "MBq"
    EFFECTIVE_DOSE_MSV = "mSv"
    MASS_KG = "kg"
    ANGLE_DEG = "deg"
    AGE_YEARS = "a"
    COUNT = "1"  # ratios, counts, pulse rates: the unit text is not checked


def _normalise(unit: str) -> str:
    return unit.replace(".", "").replace(" ", "").replace("*", "").replace("·", "").lower()


# Keyed by quantity first: a normalised spelling can mean two units ("a" is years or amperes).
# Factors are exact fractions so that 51.25 ms becomes 0.05125 s, not 0.051250000000000004.
_TABLE: dict[Quantity, dict[str, Fraction]] = {quantity: {} for quantity in Quantity}


def _alias(quantity: Quantity, factor: float | Fraction, *spellings: str) -> None:
    exact = Fraction(factor).limit_denominator(10**12)
    for spelling in spellings:
        _TABLE[quantity][_normalise(spelling)] = exact


_alias(Quantity.DAP, 1.0, "Gy.m2")
_alias(Quantity.DAP, 1e-4, "Gy.cm2")
_alias(Quantity.DAP, 1e-5, "dGy.cm2")
_alias(Quantity.DAP, 1e-6, "cGy.cm2", "uGy.m2")
_alias(Quantity.DAP, 1e-7, "mGy.cm2")
_alias(Quantity.DAP, 1e-10, "uGy.cm2")
_alias(Quantity.DOSE_GY, 1.0, "Gy")
_alias(Quantity.DOSE_GY, 1e-3, "mGy")
_alias(Quantity.DOSE_GY, 1e-6, "uGy")
_alias(Quantity.DOSE_GY, 1e-2, "cGy")
_alias(Quantity.DOSE_GY, 1e-1, "dGy")
_alias(Quantity.DOSE_MGY, 1.0, "mGy")
_alias(Quantity.DOSE_MGY, 1e3, "Gy")
_alias(Quantity.DOSE_MGY, 1e-3, "uGy")
_alias(Quantity.DOSE_MGY, 1e2, "dGy")  # image headers: Organ Dose (0040,0316), Entrance Dose (0040,0302)
_alias(Quantity.DLP, 1.0, "mGy.cm")
_alias(Quantity.DLP, 1e3, "Gy.cm")
_alias(Quantity.DLP, 1e2, "mGy.m")
_alias(Quantity.TIME_S, 1.0, "s", "sec")
_alias(Quantity.TIME_S, 1e-3, "ms")
_alias(Quantity.TIME_S, 1e-6, "us")
_alias(Quantity.TIME_S, 60.0, "min")
_alias(Quantity.TIME_S, 3600.0, "h")
_alias(Quantity.EXPOSURE_MAS, 1.0, "mA.s", "mAs")
_alias(Quantity.EXPOSURE_MAS, 1e-3, "uA.s", "uAs")
_alias(Quantity.EXPOSURE_MAS, 1e3, "A.s", "As")
_alias(Quantity.CURRENT_MA, 1.0, "mA")
_alias(Quantity.CURRENT_MA, 1e-3, "uA")
_alias(Quantity.CURRENT_MA, 1e3, "A")
_alias(Quantity.VOLTAGE_KV, 1.0, "kV", "kVp")
_alias(Quantity.VOLTAGE_KV, 1e-3, "V")
_alias(Quantity.LENGTH_MM, 1.0, "mm")
_alias(Quantity.LENGTH_MM, 10.0, "cm")
_alias(Quantity.LENGTH_MM, 1e3, "m")
_alias(Quantity.LENGTH_MM, 1e-3, "um")
_alias(Quantity.ACTIVITY_MBQ, 1.0, "MBq")
_alias(Quantity.ACTIVITY_MBQ, 1e3, "GBq")
_alias(Quantity.ACTIVITY_MBQ, 1e-3, "kBq")
_alias(Quantity.ACTIVITY_MBQ, 1e-6, "Bq")
_alias(Quantity.ACTIVITY_MBQ, 37.0, "mCi")
_alias(Quantity.ACTIVITY_MBQ, 0.037, "uCi")
_alias(Quantity.EFFECTIVE_DOSE_MSV, 1.0, "mSv")
_alias(Quantity.EFFECTIVE_DOSE_MSV, 1e3, "Sv")
_alias(Quantity.EFFECTIVE_DOSE_MSV, 1e-3, "uSv")
_alias(Quantity.MASS_KG, 1.0, "kg")
_alias(Quantity.MASS_KG, 1e-3, "g")
_alias(Quantity.ANGLE_DEG, 1.0, "deg", "°")
_alias(Quantity.AGE_YEARS, 1.0, "a", "y", "yr", "year", "years")
_alias(Quantity.AGE_YEARS, Fraction(1, 12), "mo", "month", "months")
_alias(Quantity.AGE_YEARS, Fraction(28, 1461), "wk", "week", "weeks")
_alias(Quantity.AGE_YEARS, Fraction(4, 1461), "d", "day", "days")

_alias(Quantity.LENGTH_M, 1.0, "m")
_alias(Quantity.LENGTH_M, 1e-2, "cm")
_alias(Quantity.LENGTH_M, 1e-3, "mm")


def conversion(unit: str, quantity: Quantity) -> Fraction | None:
    """The factor that turns a value in `unit` into `quantity`'s canonical unit; None when unknown."""
    return _TABLE[quantity].get(_normalise(unit))


def convert(value: float, factor: Fraction) -> float:
    """`value` times `factor`, rounded once: multiply by the numerator, then divide by the denominator."""
    if factor == 1:
        return value
    return value * factor.numerator / factor.denominator
