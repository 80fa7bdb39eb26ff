"""`reprocess` can be limited to a site and a date, and names each report it could not read again."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ingest.models import Submission
from registry.models import Site
from tests.ingest.conftest import Send

pytestmark = pytest.mark.django_db


def test_only_the_named_sites_reports_received_since_the_date_are_read(send: Send, site: Site) -> None:
    other = Site.objects.create(code="SOUTH-02", name="South Clinic")
    send("CT-RDSR-Siemens-Multi-3.dcm")
    send("DX-RDSR-Canon_CXDI.dcm")
    send("RF-RDSR-Siemens-Zee.dcm", to=other)
    Submission.objects.filter(filename="DX-RDSR-Canon_CXDI.dcm").update(
        received_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    out = StringIO()
    call_command("reprocess", "--site", site.code, "--since", "2021-01-01", stdout=out)
    assert "Reprocessed 1 report(s); 0 failed." in out.getvalue()


def test_a_missing_copy_is_counted_as_failed_and_the_others_go_on(send: Send) -> None:
    gone = send("CT-RDSR-Siemens-Multi-3.dcm")
    send("DX-RDSR-Canon_CXDI.dcm")
    gone.stored_file.delete(save=False)
    out = StringIO()
    call_command("reprocess", stdout=out)
    assert "Reprocessed 1 report(s); 1 failed." in out.getvalue()
    assert "NORTH-01 CT-RDSR-Siemens-Multi-3.dcm: " in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"), [(["--site", "NOWHERE"], "no site"), (["--since", "1/2/2020"], "YYYY")]
)
def test_an_unknown_site_or_a_bad_date_is_a_clear_error(args: list[str], message: str, db: None) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("reprocess", *args)
