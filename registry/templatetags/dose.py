"""Dose values on pages: a canonical value in its display unit, with a physicist's precision.

A DAP stored as 0.000123456 Gy·m² reads as "1.23" Gy·cm², never as fifteen digits: three significant
digits is what a dose meter's calibration supports, and tables line up.
"""

from __future__ import annotations

import math

from django import template

from registry.statistics.filters import AGE_BANDS, WEIGHT_BANDS

register = template.Library()


@register.filter
def significant(value: float | None, digits: int = 3) -> str:
    """`value` rounded to `digits` significant digits, without an exponent or trailing zeros; "—" if None.

    Trailing zeros would claim a precision the device did not state (0.15 stays 0.15, not 0.150).
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if value == 0:
        return "0"
    places = digits - 1 - math.floor(math.log10(abs(value)))
    rounded = round(value, places)
    text = f"{rounded:.{max(places, 0)}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def band_label(key: str) -> str:
    """The label of an age or weight band key ("adult_standard" reads "Adult 50 to 90 kg")."""
    band = AGE_BANDS.get(key) or WEIGHT_BANDS.get(key)
    return band.label if band is not None else key


@register.filter
def times(value: float | None, factor: float | str) -> float | None:
    """`value` x `factor` (a canonical value in its display unit); None stays None."""
    return None if value is None else value * float(factor)


@register.filter
def minutes_seconds(seconds: float | None) -> str:
    """A duration as fluoroscopy timers show it: m:ss (h:mm:ss from an hour); "—" if None."""
    if seconds is None:
        return "—"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def dicom_text(value: str | None) -> str:
    """DICOM text as people write it: the caret that separates components ("Thorax^Routine (Adult)")
    becomes a space, and runs of spaces one."""
    return " ".join(str(value or "").replace("^", " ").split())


@register.filter
def per_kg(value: float | None, weight_kg: float | None) -> float | None:
    """`value` per kilogram of body weight (MBq/kg for an administered activity); None without a weight."""
    return None if value is None or not weight_kg else value / weight_kg
