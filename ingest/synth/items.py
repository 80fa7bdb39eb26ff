"""One builder per SR content item value type (PS3.3 C.17.3), so the templates read as trees."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from pydicom.dataset import Dataset
from pydicom.sequence import Sequence as DicomSequence
from pydicom.sr.coding import Code

from ingest.synth.spec import SIGNIFICANT_DIGITS
from ingest.synth.vocab import UNITS

CONTAINS = "CONTAINS"
HAS_CONCEPT_MOD = "HAS CONCEPT MOD"
HAS_OBS_CONTEXT = "HAS OBS CONTEXT"
HAS_PROPERTIES = "HAS PROPERTIES"


def code_dataset(code: Code) -> Dataset:
    """A Code Sequence Macro item (PS3.3 Table 8.8-1): value, scheme, meaning."""
    item = Dataset()
    item.CodeValue = code.value
    item.CodingSchemeDesignator = code.scheme_designator
    item.CodeMeaning = code.meaning
    return item


def ds_text(value: float) -> str:
    """A DS string of `value` with six significant digits: always within the 16 characters DS allows."""
    return f"{value:.{SIGNIFICANT_DIGITS}g}"


def dt_text(value: dt.datetime) -> str:
    """A DT string (YYYYMMDDHHMMSS, with fraction only when there is one): PS3.5 Table 6.2-1."""
    text = value.strftime("%Y%m%d%H%M%S")
    return f"{text}.{value.microsecond:06d}" if value.microsecond else text


def _item(relationship: str, value_type: str, concept: Code, children: Iterable[Dataset] = ()) -> Dataset:
    item = Dataset()
    item.RelationshipType = relationship
    item.ValueType = value_type
    item.ConceptNameCodeSequence = [code_dataset(concept)]
    kids = list(children)
    if kids:
        item.ContentSequence = DicomSequence(kids)
    return item


def container(concept: Code, children: Iterable[Dataset], relationship: str = CONTAINS) -> Dataset:
    """A CONTAINER item; content is a set of rows, so ContinuityOfContent is SEPARATE."""
    item = _item(relationship, "CONTAINER", concept, children)
    item.ContinuityOfContent = "SEPARATE"
    return item


def num(
    concept: Code,
    value: float | Sequence[float],
    unit: str,
    relationship: str = CONTAINS,
    children: Iterable[Dataset] = (),
) -> Dataset:
    """A NUM item in UCUM `unit`; a sequence of values becomes one multi-valued NumericValue (per pulse)."""
    measured = Dataset()
    values = [value] if isinstance(value, (int, float)) else list(value)
    texts = [ds_text(v) for v in values]
    measured.NumericValue = texts[0] if len(texts) == 1 else texts
    measured.MeasurementUnitsCodeSequence = [code_dataset(UNITS[unit])]
    item = _item(relationship, "NUM", concept, children)
    item.MeasuredValueSequence = [measured]
    return item


def code(
    concept: Code, value: Code, relationship: str = CONTAINS, children: Iterable[Dataset] = ()
) -> Dataset:
    """A CODE item whose value is `value`."""
    item = _item(relationship, "CODE", concept, children)
    item.ConceptCodeSequence = [code_dataset(value)]
    return item


def text(concept: Code, value: str, relationship: str = CONTAINS) -> Dataset:
    """A TEXT item."""
    item = _item(relationship, "TEXT", concept)
    item.TextValue = value
    return item


def uidref(concept: Code, value: str, relationship: str = CONTAINS) -> Dataset:
    """A UIDREF item."""
    item = _item(relationship, "UIDREF", concept)
    item.UID = value
    return item


def datetime(concept: Code, value: dt.datetime, relationship: str = CONTAINS) -> Dataset:
    """A DATETIME item."""
    item = _item(relationship, "DATETIME", concept)
    item.DateTime = dt_text(value)
    return item


def optional_num(concept: Code, value: float | None, unit: str, scale: float = 1.0) -> list[Dataset]:
    """A NUM row the template marks optional: no item at all when the spec has no value."""
    return [] if value is None else [num(concept, value * scale, unit)]
