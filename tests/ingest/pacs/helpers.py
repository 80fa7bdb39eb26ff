"""Helpers of the pull tests: run a pull as the command does, and read expected values from corpus files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from pydicom import dcmread
from pydicom.dataset import Dataset

from ingest.pacs.models import PacsNode, PacsRun, Trigger
from ingest.pacs.runs import pacs_run_execute, pacs_run_queue
from tests.conftest import corpus_file

# Every corpus dose report lies in these years (2013-02-28 to 2023-07-06).
WHOLE_CORPUS = (dt.date(2013, 1, 1), dt.date(2023, 12, 31))


def pull(
    node: PacsNode, start: dt.date = WHOLE_CORPUS[0], end: dt.date = WHOLE_CORPUS[1], **kwargs: Any
) -> PacsRun:
    """One run over a window, carried out here and now (as `manage.py pacs_pull` does)."""
    run = pacs_run_queue(node=node, start=start, end=end, trigger=Trigger.COMMAND, send=False, **kwargs)
    return pacs_run_execute(run_id=run.pk)


def header(name: str) -> Dataset:
    return dcmread(corpus_file(name), stop_before_pixels=True)


def sop_instance_uids(*names: str) -> set[str]:
    return {str(header(name).SOPInstanceUID) for name in names}


def _items(dataset: Dataset) -> Iterable[Dataset]:
    for item in dataset.get("ContentSequence", []):
        yield item
        yield from _items(item)


def numeric_value(name: str, code_value: str) -> float:
    """The first NUM item with this concept code (DCM) in a corpus file's content tree, read with pydicom."""
    for item in _items(dcmread(corpus_file(name))):
        concept = item.get("ConceptNameCodeSequence")
        if item.get("ValueType") == "NUM" and concept and concept[0].CodeValue == code_value:
            return float(item.MeasuredValueSequence[0].NumericValue)
    raise AssertionError(f"no NUM {code_value} in {name}")
