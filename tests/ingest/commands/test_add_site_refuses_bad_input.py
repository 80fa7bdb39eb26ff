"""`add_site` explains what is wrong instead of failing with a traceback or changing anything."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from registry.models import Site

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["NORTH-01", "--name", "Again"], "exists; use --rotate"),
        (["WEST-04", "--rotate"], "no site with code 'WEST-04'"),
        (["WEST-04", "--revoke"], "no site with code 'WEST-04'"),
        (["WEST-04"], "--name is required"),
        (["WEST 04", "--name", "West"], "invalid site code"),
        (["WEST-04", "--name", "West", "--ae-title", "A" * 17], "invalid AE title"),
        (["WEST-04", "--name", "West", "--ae-title", "CT\\1"], "invalid AE title"),
        (["WEST-04", "--name", "West", "--ae-title", "CT\t1"], "invalid AE title"),
        (["WEST-04", "--name", "West", "--country", "GBR"], "invalid --country"),
    ],
)
def test_bad_input_is_a_clear_error_and_creates_nothing(site: Site, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message.replace("\\", "\\\\")):
        call_command("add_site", *args, stdout=StringIO())
    assert list(Site.objects.values_list("code", flat=True)) == ["NORTH-01"]


def test_exists_ok_leaves_an_existing_site_as_it_is(site: Site) -> None:
    out = StringIO()
    call_command("add_site", site.code, "--name", "Renamed", "--exists-ok", stdout=out)
    assert "exists; nothing changed" in out.getvalue()
    assert Site.objects.get().name == "North General Hospital"
