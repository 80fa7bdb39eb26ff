"""C-FIND from study to series to image: which dose objects a PACS holds for a window of study dates.

Only the keys Kerma needs are asked for and only UIDs, modalities, station names, SOP classes and dates are
read from the answers; whatever else a PACS returns (names, patient IDs, accession numbers) is dropped with
the answer and never logged. The walk always goes study, series, image with the full hierarchy, since
real PACS, unlike Orthanc, refuse series queries without a study UID (pacs-notes, pitfall 9).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from pydicom.dataset import Dataset
from pynetdicom.association import Association

from ingest.pacs.association import ABORTED, FIND_MODEL, PacsQueryError, PacsRefusedError, check_established
from ingest.rdsr.routing import DOSE_SR_CLASSES, GENERAL_SR_CLASSES, IMAGE_SOP_CLASSES

SR = "SR"
# Series whose image headers Kerma reads as dose reports (ingest.rdsr.routing.IMAGE_SOP_CLASSES).
IMAGE_MODALITIES = ("DX", "CR", "MG")
SR_CLASSES = DOSE_SR_CLASSES | GENERAL_SR_CLASSES

# C-FIND statuses (PS3.4 C.4.1.1.4).
SUCCESS = 0x0000
PENDING = (0xFF00, 0xFF01)
CANCEL = 0xFE00


@dataclass(frozen=True)
class QueryPlan:
    """What to ask a PACS for: the window, the Modalities in Study to search, station names, images or not."""

    start: dt.date
    end: dt.date
    modalities: tuple[str, ...]
    station_names: tuple[str, ...] = ()
    include_images: bool = False

    def study_modalities(self) -> tuple[str, ...]:
        """Studies to search: the node's modalities, and DX, CR and MG when their images are pulled too."""
        extra = IMAGE_MODALITIES if self.include_images else ()
        return tuple(dict.fromkeys((*self.modalities, *extra)))

    def series_modalities(self) -> frozenset[str]:
        return frozenset({SR, *(IMAGE_MODALITIES if self.include_images else ())})


@dataclass(frozen=True)
class FoundStudy:
    study_instance_uid: str
    study_date: dt.date | None
    modalities_in_study: tuple[str, ...]


@dataclass(frozen=True)
class FoundInstance:
    """One object to retrieve: where it sits in the PACS's hierarchy, its class and its series' modality."""

    study: FoundStudy
    series_instance_uid: str
    sop_instance_uid: str
    sop_class_uid: str
    modality: str


class _CappedError(Exception):
    """The PACS stopped answering at its limit (an unrequested 0xFE00, pitfall 8)."""


def _text(answer: Dataset | None, keyword: str) -> str:
    value = answer.get(keyword, "") if answer is not None else ""
    return str(value or "").strip()


def _values(answer: Dataset | None, keyword: str) -> tuple[str, ...]:
    value = answer.get(keyword) if answer is not None else None
    if not value:
        return ()
    items = [value] if isinstance(value, str) else list(value)  # one value, or pydicom's MultiValue
    return tuple(str(item).strip() for item in items if str(item).strip())


def _date(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text[:8], "%Y%m%d").date()
    except ValueError:
        return None


def c_find(assoc: Association, identifier: Dataset) -> list[Dataset]:
    """Every match of one C-FIND; raises _CappedError, PacsRefusedError (aborted) or PacsQueryError."""
    check_established(assoc)
    answers: list[Dataset] = []
    capped = False
    for status, answer in assoc.send_c_find(identifier, FIND_MODEL):
        if "Status" not in status:
            raise PacsRefusedError(ABORTED.format(ae=assoc.requestor.ae_title))
        code = int(status.Status)
        if code in PENDING and answer is not None:
            answers.append(answer)
        elif code == CANCEL:
            capped = True  # we never cancel: the PACS has hit its limit
        elif code != SUCCESS:
            raise PacsQueryError(f"the PACS answered a C-FIND with status 0x{code:04X}")
    if capped:
        raise _CappedError
    return answers


def _study_identifier(modality: str, start: dt.date, end: dt.date) -> Dataset:
    identifier = Dataset()
    identifier.QueryRetrieveLevel = "STUDY"
    identifier.StudyDate = f"{start:%Y%m%d}-{end:%Y%m%d}"
    identifier.ModalitiesInStudy = modality
    identifier.StudyInstanceUID = ""
    return identifier


def _studies_in(assoc: Association, modality: str, start: dt.date, end: dt.date) -> list[FoundStudy]:
    """The studies of one modality in a window; a capped answer is asked again in two halves."""
    try:
        answers = c_find(assoc, _study_identifier(modality, start, end))
    except _CappedError:
        if start >= end:
            raise PacsQueryError(
                f"the PACS caps its answers for {start:%Y-%m-%d} alone: raise its limit"
            ) from None
        middle = start + (end - start) // 2
        return [
            *_studies_in(assoc, modality, start, middle),
            *_studies_in(assoc, modality, middle + dt.timedelta(days=1), end),
        ]
    return [
        FoundStudy(
            study_instance_uid=_text(answer, "StudyInstanceUID"),
            study_date=_date(_text(answer, "StudyDate")),
            modalities_in_study=_values(answer, "ModalitiesInStudy"),
        )
        for answer in answers
        if _text(answer, "StudyInstanceUID")
    ]


def find_studies(assoc: Association, plan: QueryPlan) -> list[FoundStudy]:
    """Each study once: one UID may come under two patient IDs, or match two modalities (pitfall 5)."""
    found: dict[str, FoundStudy] = {}
    for modality in plan.study_modalities():
        for study in _studies_in(assoc, modality, plan.start, plan.end):
            found.setdefault(study.study_instance_uid, study)
    return sorted(
        found.values(), key=lambda study: (study.study_date or dt.date.min, study.study_instance_uid)
    )


def _series_identifier(study: FoundStudy) -> Dataset:
    identifier = Dataset()
    identifier.QueryRetrieveLevel = "SERIES"
    identifier.StudyInstanceUID = study.study_instance_uid
    identifier.SeriesInstanceUID = ""
    identifier.Modality = ""
    identifier.StationName = ""
    return identifier


def _station_matches(answer: Dataset, stations: frozenset[str]) -> bool:
    return not stations or _text(answer, "StationName").casefold() in stations


def find_series(assoc: Association, study: FoundStudy, plan: QueryPlan) -> list[tuple[str, str]]:
    """(series UID, modality) of the study's SR series, and image series when asked, from the stations asked.

    All series are asked for in one request and filtered here: a PACS need not match Modality or
    StationName, and one request per study is what keeps a run's time down.
    """
    wanted = plan.series_modalities()
    stations = frozenset(name.casefold() for name in plan.station_names)
    return [
        (_text(answer, "SeriesInstanceUID"), _text(answer, "Modality").upper())
        for answer in c_find(assoc, _series_identifier(study))
        if _text(answer, "Modality").upper() in wanted
        and _text(answer, "SeriesInstanceUID")
        and _station_matches(answer, stations)
    ]


def _image_identifier(study: FoundStudy, series_uid: str) -> Dataset:
    identifier = Dataset()
    identifier.QueryRetrieveLevel = "IMAGE"
    identifier.StudyInstanceUID = study.study_instance_uid
    identifier.SeriesInstanceUID = series_uid
    identifier.SOPInstanceUID = ""
    identifier.SOPClassUID = ""
    return identifier


def _wanted_class(sop_class: str, modality: str) -> bool:
    """Filtered on the returned class, since matching on it is optional for a PACS (pitfall 9); a PACS that
    returns none leaves the decision to the reader."""
    if not sop_class:
        return True
    return sop_class in (SR_CLASSES if modality == SR else IMAGE_SOP_CLASSES)


def find_images(assoc: Association, study: FoundStudy, series_uid: str, modality: str) -> list[FoundInstance]:
    """The series' instances of a class Kerma reads."""
    found = []
    for answer in c_find(assoc, _image_identifier(study, series_uid)):
        sop_class, sop_instance = _text(answer, "SOPClassUID"), _text(answer, "SOPInstanceUID")
        if sop_instance and _wanted_class(sop_class, modality):
            found.append(FoundInstance(study, series_uid, sop_instance, sop_class, modality))
    return found


def find_instances(
    assoc: Association, plan: QueryPlan, *, after_study: Callable[[], None] | None = None
) -> list[FoundInstance]:
    """Every dose object of the plan's window, study by study, each SOP Instance UID once; `after_study` is
    called after each study (a long query still shows the run is alive)."""
    found: dict[str, FoundInstance] = {}
    for study in find_studies(assoc, plan):
        for series_uid, modality in find_series(assoc, study, plan):
            for instance in find_images(assoc, study, series_uid, modality):
                found.setdefault(instance.sop_instance_uid, instance)
        if after_study is not None:
            after_study()
    return list(found.values())
