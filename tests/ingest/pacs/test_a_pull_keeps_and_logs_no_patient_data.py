"""C-FIND answers may carry patient names, IDs and accession numbers: a pull keeps and logs none of them,
only UIDs, dates, modalities and counts."""

from __future__ import annotations

import logging

import pytest

from ingest.pacs.models import PacsMiss, PacsNode, PacsRun, RetrieveMethod
from tests.ingest.pacs.conftest import MakeNode, Orthanc
from tests.ingest.pacs.helpers import header, pull

pytestmark = pytest.mark.django_db(transaction=True)

LOADED = "RF-RDSR-Philips_Allura.dcm"  # a patient name, ID and accession number in its header


@pytest.mark.parametrize("method", [RetrieveMethod.MOVE, RetrieveMethod.GET])
def test_no_identifier_of_the_patient_reaches_the_log_or_the_pull_tables(
    orthanc: Orthanc, make_node: MakeNode, caplog: pytest.LogCaptureFixture, method: RetrieveMethod
) -> None:
    orthanc.load(LOADED)
    source = header(LOADED)
    identifiers = [str(source.PatientID), str(source.AccessionNumber), str(source.PatientName)]
    assert all(identifiers)
    with caplog.at_level(logging.DEBUG):
        run = pull(make_node(orthanc.dicom_port, retrieve_method=method))
    assert run.retrieved == 1
    kept = [list(model.objects.values()) for model in (PacsNode, PacsRun, PacsMiss)]
    for value in identifiers:
        assert value not in caplog.text
        assert value not in repr(kept)
    assert "Response Identifier" not in caplog.text
