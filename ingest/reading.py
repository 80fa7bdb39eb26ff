"""Reading a received file once: its dose report (contract dict, pseudonymised) and its de-identified copy.

The worker's whole cost per report is here (parsing, mapping, de-identification); storing is a few queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ingest.deid import deidentified_copy, deidentify_report
from ingest.rdsr import load_dataset, read


@dataclass(frozen=True)
class ReadReport:
    """What the worker stores: the pseudonymised contract dict and the de-identified Part 10 bytes."""

    report: dict[str, Any]
    deidentified: bytes


def read_and_deidentify(data: bytes, *, key: str, site_code: str) -> ReadReport:
    """Read one received file and de-identify it; raises the reader's RdsrError for what it refuses."""
    dataset = load_dataset(data)
    report = read(dataset).as_dict()
    age = report["patient"]["age_years"]
    copy = deidentified_copy(data, dataset, key=key, site_code=site_code, age_years=age)
    return ReadReport(deidentify_report(report, key=key, site_code=site_code), copy)
