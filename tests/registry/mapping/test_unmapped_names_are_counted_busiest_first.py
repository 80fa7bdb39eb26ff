"""Unmapped names come with their study counts, busiest first, only for sites the user may see."""

from __future__ import annotations

import pytest

from registry.mapping.suggestions import unmapped_names
from registry.models import MatchField, Role, Site
from tests.conftest import person
from tests.ingest.conftest import Send
from tests.registry.mapping.conftest import MakeStudy, exam

pytestmark = pytest.mark.django_db


def _rows(*args: object, **kwargs: object) -> list[tuple[str, str, str, int]]:
    rows = unmapped_names(*args, **kwargs)  # type: ignore[arg-type]
    return [(row["site_code"], row["modality_code"], row["name"], row["studies"]) for row in rows]


def test_counts_and_order(north: Site, south: Site, make_study: MakeStudy) -> None:
    for description, count in (("HEAD WO", 1), ("CT CHEST W", 3), ("CT A/P w/", 2), ("", 4)):
        for _ in range(count):
            make_study(north, description)
    make_study(north, "CHEST PA", modality="DX")
    make_study(north, "CT HEAD ROUTINE", standard_exam=exam("CT", "Head"))  # mapped: not listed
    make_study(south, "CT CHEST W")
    physicist = person("pat", (north, Role.PHYSICIST))
    assert _rows(physicist) == [
        ("NORTH-01", "CT", "CT CHEST W", 3),
        ("NORTH-01", "CT", "CT A/P w/", 2),
        ("NORTH-01", "DX", "CHEST PA", 1),
        ("NORTH-01", "CT", "HEAD WO", 1),
    ]
    assert _rows(physicist, modality="DX") == [("NORTH-01", "DX", "CHEST PA", 1)]
    assert _rows(person("root", superuser=True), south) == [("SOUTH-02", "CT", "CT CHEST W", 1)]


def test_roles_limit_the_sites(north: Site, make_study: MakeStudy) -> None:
    make_study(north, "HEAD WO")
    auditor = person("audrey", (north, Role.AUDITOR))
    assert _rows(auditor) == [("NORTH-01", "CT", "HEAD WO", 1)]
    assert _rows(auditor, roles=(Role.PHYSICIST,)) == []


def test_protocol_names_count_each_study_once(send: Send, site: Site) -> None:
    send("CT-RDSR-Siemens-Multi-2.dcm")  # events: Topogram, 4DCT
    rows = _rows(person("pat", (site, Role.PHYSICIST)), field=MatchField.ACQUISITION_PROTOCOL)
    assert rows == [("NORTH-01", "CT", "4DCT", 1), ("NORTH-01", "CT", "Topogram", 1)]
