"""`manage.py add_site` creates a site with its AE titles and prints an upload token that works, once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from registry.models import AETitle, Site, UploadToken

pytestmark = pytest.mark.django_db


def printed_token(output: str) -> str:
    lines = output.splitlines()
    return lines[lines.index(next(line for line in lines if line.startswith("Upload token"))) + 1].strip()


def test_the_printed_token_authenticates_the_new_site() -> None:
    out = StringIO()
    call_command(
        "add_site",
        "EAST-03",
        "--name",
        "East Infirmary",
        "--country",
        "gb",
        "--ae-title",
        "EAST_CT",
        stdout=out,
    )
    site = Site.objects.get(code="EAST-03")
    assert (site.name, site.country, site.type) == ("East Infirmary", "GB", "hospital")
    assert list(AETitle.objects.values_list("ae_title", "site__code")) == [("EAST_CT", "EAST-03")]
    secret = printed_token(out.getvalue())
    assert UploadToken.objects.matching(secret).get().site == site
    assert not UploadToken.objects.filter(digest__contains=secret).exists()  # stored hashed, not as sent
