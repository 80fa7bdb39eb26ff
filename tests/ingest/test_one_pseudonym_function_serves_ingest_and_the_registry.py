"""Ingest de-identifies with the registry's pseudonym function, so QA patient IDs meet studies by pseudonym.

The function moved from ingest.deid to registry.models.pseudonyms (the registry may not import ingest); its
values must be exactly what ingest stored before, or stored patients would stop linking to new studies.
"""

from __future__ import annotations

from ingest import deid
from registry.models import pseudonym

# What ingest.deid.pseudonym gave before the move (commit 97c5a1b), for key "test-key" at NORTH-01.
BEFORE_THE_MOVE = "71121f0885028868f776c36b3cfeba5e87e26a36b4507275701c914718c67bbd"


def test_ingest_uses_the_registry_function_itself() -> None:
    assert deid.pseudonym is pseudonym


def test_the_pseudonym_is_the_one_ingest_stored_before() -> None:
    assert pseudonym("test-key", "NORTH-01", "patient", " ACR 3D TEST ") == BEFORE_THE_MOVE
    assert pseudonym("test-key", "NORTH-01", "patient", "") == pseudonym("k", "S", "patient", None) == ""


def test_site_and_kind_each_give_another_pseudonym() -> None:
    assert pseudonym("test-key", "SOUTH-02", "patient", "ACR 3D TEST") != BEFORE_THE_MOVE
    assert pseudonym("test-key", "NORTH-01", "accession", "ACR 3D TEST") != BEFORE_THE_MOVE
