"""The listener offers the DX image classes: a DX image sent by C-STORE is acknowledged and stored."""

from __future__ import annotations

import pytest
from pydicom import dcmread

from ingest.models import State, Submission
from ingest.scp import SUCCESS
from registry.models import AETitle
from tests.conftest import corpus_file
from tests.ingest.scp.conftest import Associate

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_dx_image_is_acknowledged_with_success_and_stored(known_ae: AETitle, associate: Associate) -> None:
    image = dcmread(corpus_file("negative/DX-Im-GE_XR220-1.dcm"))
    assoc = associate([image.SOPClassUID])
    assert assoc.is_established
    assert assoc.send_c_store(image).Status == SUCCESS == 0x0000
    assert Submission.objects.get().state == State.STORED
