"""Synthetic dose reports in the encodings and shapes vendors send, for comparing the two reading paths.

`ingest.synth` writes the standard form (explicit VR, defined lengths, nothing to clean); real devices
also send undefined-length sequences (Canon, Eurocolumbus), implicit VR (Philips), person names in the
content tree (TID 1020), private attributes inside content items, and copies of the patient ID.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Iterator

from pydicom.dataset import Dataset
from pydicom.filewriter import dcmwrite
from pydicom.sequence import Sequence
from pydicom.uid import ImplicitVRLittleEndian

from ingest.synth import ScenarioConfig, draw_studies, write_dataset
from ingest.synth.spec import Modality, StudySpec

MODALITIES: tuple[Modality, ...] = ("CT", "DX", "RF", "MG")
PERSON = "Doe^Jane"


def spec_of(modality: Modality, seed: int = 0) -> StudySpec:
    """The first synthetic study of one modality."""
    config = ScenarioConfig(studies=1, mix={modality: 1.0}, seed=seed)
    return next(iter(draw_studies(config)))


def _code(value: str, scheme: str, meaning: str) -> Dataset:
    item = Dataset()
    item.CodeValue, item.CodingSchemeDesignator, item.CodeMeaning = value, scheme, meaning
    return item


def _item(value_type: str, concept: Dataset) -> Dataset:
    item = Dataset()
    item.RelationshipType = "CONTAINS"
    item.ValueType = value_type
    item.ConceptNameCodeSequence = Sequence([concept])
    return item


def _containers(dataset: Dataset) -> Iterator[Dataset]:
    for item in dataset.get("ContentSequence") or []:
        if item.ValueType == "CONTAINER":
            yield item


def with_identifying_items(dataset: Dataset) -> Dataset:
    """A copy with what de-identification must clean inside the content tree.

    A person who administered each irradiation (TID 1020 PNAME), the subject ID (121030) and a private
    attribute in each container, and a comment (121106) that repeats the patient ID.
    """
    changed = copy.deepcopy(dataset)
    for container in _containers(changed):
        person = _item("PNAME", _code("113870", "DCM", "Person Name"))
        person.PersonName = PERSON
        subject = _item("TEXT", _code("121030", "DCM", "Subject ID"))
        subject.TextValue = str(changed.PatientID)
        container.ContentSequence.extend([person, subject])
        container.add_new(0x00B10010, "LO", "KERMA TEST")
        container.add_new(0x00B11001, "LO", "private value")
    comment = _item("TEXT", _code("121106", "DCM", "Comment"))
    comment.TextValue = str(changed.PatientID)
    changed.ContentSequence.append(comment)
    return changed


def _undefined_lengths(dataset: Dataset) -> None:
    for element in dataset:
        if element.VR == "SQ":
            element.is_undefined_length = True
            for item in element.value:
                item.is_undefined_length_sequence_item = True
                _undefined_lengths(item)


def encoded(dataset: Dataset, *, undefined: bool = False, implicit: bool = False) -> bytes:
    """Part 10 bytes of `dataset`: undefined-length sequences and items, implicit VR, as asked."""
    dataset = copy.deepcopy(dataset)
    if undefined:
        _undefined_lengths(dataset)
    if implicit:
        dataset.file_meta.TransferSyntaxUID = ImplicitVRLittleEndian
    buffer = io.BytesIO()
    dcmwrite(buffer, dataset, enforce_file_format=True)
    return buffer.getvalue()


def synthetic(modality: Modality, *, undefined: bool, implicit: bool, identifying: bool) -> bytes:
    """One synthetic report of `modality` in the given shape."""
    dataset = write_dataset(spec_of(modality))
    if identifying:
        dataset = with_identifying_items(dataset)
    return encoded(dataset, undefined=undefined, implicit=implicit)


def shapes() -> list[tuple[Modality, bool, bool, bool]]:
    """Every modality in every combination of undefined lengths, implicit VR and content to clean."""
    return [
        (modality, undefined, implicit, identifying)
        for modality in MODALITIES
        for undefined in (False, True)
        for implicit in (False, True)
        for identifying in (False, True)
    ]
