"""A first pull from a real PACS retrieves every dose object of the window once, by C-MOVE or by C-GET,
and the registry holds the values the files themselves state."""

from __future__ import annotations

from collections import Counter

import pytest

from ingest.models import Channel, State, Submission
from ingest.pacs.models import RetrieveMethod, RunState
from registry.models import Site, Study
from tests.ingest.pacs.conftest import ORTHANC_AE, MakeNode, Orthanc
from tests.ingest.pacs.helpers import header, numeric_value, pull, sop_instance_uids

pytestmark = pytest.mark.django_db(transaction=True)

MULTI = ("CT-RDSR-Siemens-Multi-1.dcm", "CT-RDSR-Siemens-Multi-2.dcm", "CT-RDSR-Siemens-Multi-3.dcm")
CONTINUED = ("CT-RDSR-Siemens-Continued-1.dcm", "CT-RDSR-Siemens-Continued-2.dcm")
OTHERS = ("NM-RRDSR-Siemens.dcm", "MG-RDSR-Hologic_2D.dcm", "negative/ESR_non-dose.dcm")
LOADED = (*MULTI, *CONTINUED, *OTHERS)
CT_DLP_TOTAL = "113813"  # CT Dose Length Product Total (DCM)


@pytest.mark.parametrize("method", [RetrieveMethod.MOVE, RetrieveMethod.GET])
def test_every_object_of_the_window_is_retrieved_and_received_once(
    orthanc: Orthanc, make_node: MakeNode, site: Site, method: RetrieveMethod
) -> None:
    orthanc.load(*LOADED)
    run = pull(make_node(orthanc.dicom_port, retrieve_method=method))
    assert (run.state, run.error) == (RunState.SUCCEEDED, "")
    assert (run.found, run.already_stored, run.retrieved, run.failed, run.skipped) == (8, 0, 8, 0, 0)
    submissions = Submission.objects.filter(site=site)
    assert Counter(submission.filename for submission in submissions) == Counter(
        f"{uid}.dcm" for uid in sop_instance_uids(*LOADED)
    )
    assert {(s.channel, s.calling_ae_title) for s in submissions} == {(Channel.CSTORE, ORTHANC_AE)}


@pytest.mark.parametrize("method", [RetrieveMethod.MOVE, RetrieveMethod.GET])
def test_the_stored_totals_are_those_the_files_state(
    orthanc: Orthanc, make_node: MakeNode, site: Site, method: RetrieveMethod
) -> None:
    orthanc.load(*MULTI, *CONTINUED)
    pull(make_node(orthanc.dicom_port, retrieve_method=method))
    multi = Study.objects.get(site=site, study_instance_uid=header(MULTI[0]).StudyInstanceUID)
    continued = Study.objects.get(site=site, study_instance_uid=header(CONTINUED[0]).StudyInstanceUID)
    # Multi-3 repeats the events of 1 and 2: its own total is the study's (236.09 mGy.cm).
    assert multi.ct_dlp_total_mgycm == pytest.approx(numeric_value(MULTI[2], CT_DLP_TOTAL))
    # Continued-1 and -2 hold disjoint events: the study sums them (60.17 + 56.44 mGy.cm).
    assert continued.ct_dlp_total_mgycm == pytest.approx(
        sum(numeric_value(n, CT_DLP_TOTAL) for n in CONTINUED)
    )


def test_a_structured_report_that_is_no_dose_report_arrives_and_is_rejected(
    orthanc: Orthanc, make_node: MakeNode, site: Site
) -> None:
    orthanc.load("negative/ESR_non-dose.dcm", "NM-RRDSR-Siemens.dcm")
    run = pull(make_node(orthanc.dicom_port))
    assert (run.found, run.retrieved) == (2, 2)
    by_file = {s.filename: s for s in Submission.objects.filter(site=site)}
    rejected = by_file[f"{header('negative/ESR_non-dose.dcm').SOPInstanceUID}.dcm"]
    assert (rejected.state, rejected.error_kind) == (State.REJECTED, "not_a_dose_report")
    radiopharmaceutical = by_file[f"{header('NM-RRDSR-Siemens.dcm').SOPInstanceUID}.dcm"]
    assert radiopharmaceutical.state == State.STORED
