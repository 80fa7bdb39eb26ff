"""What a node asks for: dose SRs in studies of its modalities, DX and MG images only when asked, only the
stations it names, and every study of the window even when the PACS caps its answers."""

from __future__ import annotations

import pytest
from pydicom.dataset import Dataset
from pynetdicom.association import Association

from ingest.models import Submission
from ingest.pacs.models import RunState
from ingest.pacs.query import c_find
from tests.ingest.pacs.conftest import MakeNode, Orthanc, StartOrthanc
from tests.ingest.pacs.helpers import pull, sop_instance_uids

pytestmark = pytest.mark.django_db(transaction=True)

DX_IMAGE = "negative/DX-Im-GE_XR220-1.dcm"  # Digital X-Ray Image For Processing, a DX study of its own
SECONDARY_CAPTURE = "negative/CT-SC-Philips_Brilliance16P.dcm"  # a CT study without dose objects
MULTI = ("CT-RDSR-Siemens-Multi-1.dcm", "CT-RDSR-Siemens-Multi-2.dcm", "CT-RDSR-Siemens-Multi-3.dcm")


def received() -> set[str]:
    return {submission.filename.removesuffix(".dcm") for submission in Submission.objects.all()}


@pytest.mark.parametrize(("include_images", "expected"), [(False, ()), (True, (DX_IMAGE,))])
def test_dx_images_are_pulled_only_when_the_node_asks_for_them(
    orthanc: Orthanc, make_node: MakeNode, include_images: bool, expected: tuple[str, ...]
) -> None:
    orthanc.load(DX_IMAGE, SECONDARY_CAPTURE, "RF-RDSR-GE.dcm")
    run = pull(make_node(orthanc.dicom_port, include_images=include_images))
    assert run.state == RunState.SUCCEEDED
    assert received() == sop_instance_uids("RF-RDSR-GE.dcm", *expected)


def test_only_the_named_stations_are_pulled(orthanc: Orthanc, make_node: MakeNode) -> None:
    orthanc.load(*MULTI, "RF-RDSR-GE.dcm", "MG-RDSR-Hologic_2D.dcm")
    run = pull(make_node(orthanc.dicom_port, station_names=["ctawp12345"]))  # the Multi series' station
    assert (run.found, run.retrieved) == (3, 3)
    assert received() == sop_instance_uids(*MULTI)


def test_a_capped_answer_is_asked_for_again_in_halves_until_every_study_is_found(
    start_orthanc: StartOrthanc, make_node: MakeNode, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = ("RF-RDSR-GE.dcm", "MG-RDSR-Hologic_2D.dcm", "DX-RDSR-Canon_CXDI.dcm", "RF-RDSR-Eurocolumbus.dcm")
    orthanc = start_orthanc(LimitFindResults=2)
    orthanc.load(*names)
    study_queries: list[str] = []

    def counting(assoc: Association, identifier: Dataset) -> list[Dataset]:
        if identifier.QueryRetrieveLevel == "STUDY":
            study_queries.append(identifier.StudyDate)
        return c_find(assoc, identifier)

    monkeypatch.setattr("ingest.pacs.query.c_find", counting)
    run = pull(make_node(orthanc.dicom_port))
    assert (run.state, run.found, run.retrieved) == (RunState.SUCCEEDED, 4, 4)
    assert study_queries[0] == "20130101-20231231" and len(study_queries) > 3  # halved until under the cap
    assert received() == sop_instance_uids(*names)


def test_a_study_modality_outside_the_nodes_list_is_not_searched(
    orthanc: Orthanc, make_node: MakeNode
) -> None:
    orthanc.load("RF-RDSR-GE.dcm")
    run = pull(make_node(orthanc.dicom_port), modalities=["CT"])  # its study holds an SR only
    assert (run.state, run.found) == (RunState.SUCCEEDED, 0)
