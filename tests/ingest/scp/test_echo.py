"""A sender can check the connection with C-ECHO (Verification) before it sends reports."""

from __future__ import annotations

import pytest

from ingest.scp import SUCCESS, VERIFICATION_SOP_CLASS
from registry.models import AETitle
from tests.ingest.scp.conftest import Associate

pytestmark = pytest.mark.django_db(transaction=True)


def test_c_echo_from_a_known_ae_title_succeeds(known_ae: AETitle, associate: Associate) -> None:
    assoc = associate([VERIFICATION_SOP_CLASS])
    assert assoc.is_established
    assert assoc.send_c_echo().Status == SUCCESS
