"""A level's history lists every version, newest first, with who made it and the before and after."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from registry.models import Site
from registry.reference_levels.library import reference_level_revise
from tests.registry.reference_levels.conftest import local_dap, page


def test_history_shows_both_versions_and_the_value_change_in_display_units(
    client: Client, north: Site, physicist: User
) -> None:
    first = local_dap(north, physicist, gym2=0.0015)
    second = reference_level_revise(actor=physicist, level=first, value=0.0012)
    client.force_login(physicist)
    for pk in (first.pk, second.pk):  # either version leads to the whole chain
        html = page(client, f"/reference-levels/{pk}/history/")
        # As table cells: a bare "v1" can occur anywhere in a page (a CSRF token, say).
        assert html.index("<td>v2 (current)</td>") < html.index("<td>v1</td>")
        assert "value: 15 → 12 Gy·cm²" in html
        assert html.count("physicist") >= 2
