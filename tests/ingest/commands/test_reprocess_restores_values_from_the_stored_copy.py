"""`manage.py reprocess` re-reads each stored de-identified copy and puts its values back in place."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from registry.models import DoseReport, Study
from tests.ingest.conftest import Send

pytestmark = pytest.mark.django_db


def test_a_total_changed_by_hand_is_read_again_from_the_file(send: Send) -> None:
    send("CT-RDSR-Siemens-Multi-3.dcm")
    Study.objects.update(ct_dlp_total_mgycm=0)
    DoseReport.objects.update(ct_dlp_total_mgycm=0)
    out = StringIO()
    call_command("reprocess", stdout=out)
    # 236.09 mGy.cm: the Multi-3 file's CT Dose Length Product Total (113813), read with pydicom.
    assert Study.objects.get().ct_dlp_total_mgycm == pytest.approx(236.09)
    assert DoseReport.objects.get().ct_dlp_total_mgycm == pytest.approx(236.09)
    assert "Reprocessed 1 report(s); 0 failed." in out.getvalue()


def test_the_stored_pseudonym_is_used_as_it_is_never_hashed_twice(send: Send) -> None:
    send("CT-RDSR-Siemens-Multi-3.dcm")
    pseudonym = Study.objects.get().patient_pseudonym
    Study.objects.update(patient_pseudonym="")
    call_command("reprocess", stdout=StringIO())
    assert Study.objects.get().patient_pseudonym == pseudonym != ""
