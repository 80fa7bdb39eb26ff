"""The page shows each value in its metric's display unit: DAP in Gy·cm², dose in mGy, time in min."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from registry.models import Site
from tests.registry.reference_levels.conftest import Load, local_dap, page


def test_a_local_dap_of_0_0015_gym2_shows_as_15_gycm2(client: Client, north: Site, physicist: User) -> None:
    local_dap(north, physicist, gym2=0.0015)
    client.force_login(physicist)
    html = page(client, "/reference-levels/")
    assert "15 Gy·cm²" in html
    assert "0.0015" not in html


@pytest.mark.parametrize(
    "shown",
    [
        "14.19 Gy·cm²",  # drl.csv: ACR DIR-Fluoro IVC filter insertion DAP 14.19 Gy.cm2
        "55.8 mGy",  # drl.csv: ACR DIR-Fluoro IVC filter insertion reference-point air kerma 55.8 mGy
        "5000 mGy",  # thresholds.csv: NCRP 168 SRDL reference air kerma 5 Gy
        "60 min",  # thresholds.csv: NCRP 168 SRDL fluoroscopy time 60 min
        "8.5 mGy",  # drl.csv: UKHSA CT Chest CTDIvol 8.5 mGy
    ],
)
def test_published_values_are_shown_in_display_units(
    published: Path, load: Load, client: Client, admin_user: User, shown: str
) -> None:
    load(published)
    client.force_login(admin_user)
    assert shown in page(client, "/reference-levels/")
