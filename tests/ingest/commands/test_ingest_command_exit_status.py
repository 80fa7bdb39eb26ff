"""`ingest` exits 0 when every file was received, rejected ones too; --strict makes a rejection an error."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from registry.models import Site

pytestmark = pytest.mark.django_db(transaction=True)


def test_strict_turns_a_rejected_file_into_an_error(report_folder: Path, site: Site) -> None:
    with pytest.raises(CommandError, match="1 file"):
        call_command("ingest", str(report_folder), "--site", site.code, "--strict", stdout=StringIO())


def test_a_file_over_the_size_limit_is_an_error_named_in_the_summary(tmp_path: Path, site: Site) -> None:
    big = tmp_path / "big.dcm"
    big.write_bytes(b"x" * 2000)
    out = StringIO()
    with override_settings(KERMA_MAX_UPLOAD_BYTES=1000), pytest.raises(CommandError, match="not be received"):
        call_command("ingest", str(big), "--site", site.code, stdout=out)
    assert f"{big}: upload of 2000 bytes exceeds the limit of 1000 bytes" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"), [(["--site", "NOWHERE"], "no site"), (["--site", "NORTH-01"], "no such")]
)
def test_an_unknown_site_or_path_is_a_clear_error(
    tmp_path: Path, site: Site, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("ingest", str(tmp_path / "missing"), *args)
