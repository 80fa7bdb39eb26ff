"""Writing a Patient Radiation Dose SR's estimates (contract `estimates`) as rows of its study.

`registry.store` calls `estimates_store` inside its transaction, once the report's row exists. Estimates never
touch the study's totals or the statistics: they are another program's computation, shown with where they
came from, not dose the devices stated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from registry.models import Device, DoseReport, Study
from registry.models.estimates import DoseEstimate

_TEXTS = {
    "name": 300,
    "quantity_code": 80,
    "quantity": 200,
    "kind": 10,
    "stated_unit": 20,
    "representation": 200,
    "representation_data_uid": 64,
    "target_code": 80,
    "target": 200,
    "laterality": 100,
}
_NUMBERS = ("dose_gy", "dose_sv", "stated_value")


def _software(device: Device) -> dict[str, str]:
    """The program that made the estimates: the PRDSR's device observer and equipment (TID 1004)."""
    return {
        "manufacturer": device.manufacturer,
        "model_name": device.model_name,
        "software_versions": device.software_versions,
        "device_observer_uid": device.device_observer_uid,
    }


def _row(estimate: Mapping[str, Any], software: dict[str, str]) -> dict[str, Any]:
    """One contract estimate as column values: text cut to its column, absent text as ""."""
    columns: dict[str, Any] = {
        name: str(estimate.get(name) or "")[:length] for name, length in _TEXTS.items()
    }
    columns.update({name: estimate.get(name) for name in _NUMBERS})
    columns["methodology"] = {**(estimate.get("methodology") or {}), "software": software}
    columns["sr_instances_used"] = list(estimate.get("sr_instances_used") or [])
    return columns


def estimates_store(report: DoseReport, study: Study, estimates: list[dict[str, Any]]) -> int:
    """Replace the report's estimate rows with `estimates`; returns how many rows were written.

    Replacing (not adding) makes a re-read report (`manage.py reprocess`) leave one set of rows. Two
    statements: one DELETE of the report's rows, one INSERT of them all.
    """
    DoseEstimate.objects.filter(report=report).delete()
    software = _software(report.device)
    rows = [DoseEstimate(study=study, report=report, **_row(estimate, software)) for estimate in estimates]
    DoseEstimate.objects.bulk_create(rows)
    return len(rows)
