"""`add_site --rotate` replaces a site's token (the old one stops working); `--revoke` only revokes."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from registry.models import Site, UploadToken
from tests.ingest.commands.test_add_site_creates_a_site_with_a_token import printed_token

pytestmark = pytest.mark.django_db


def test_rotate_revokes_the_old_token_and_prints_a_working_new_one(site: Site) -> None:
    _, old = UploadToken.issue(site)
    out = StringIO()
    call_command("add_site", site.code, "--rotate", stdout=out)
    new = printed_token(out.getvalue())
    assert not UploadToken.objects.matching(old).exists()
    assert UploadToken.objects.matching(new).get().site == site


def test_revoke_leaves_the_site_without_an_active_token(site: Site) -> None:
    UploadToken.issue(site)
    out = StringIO()
    call_command("add_site", site.code, "--revoke", stdout=out)
    assert "Revoked 1 active token(s)" in out.getvalue()
    assert "Upload token" not in out.getvalue()
    assert not UploadToken.objects.filter(site=site).active().exists()
