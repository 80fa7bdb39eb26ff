"""An anode or filter material has one name, whether an RDSR's code meaning or an image header's defined
term states it (ingest/rdsr/materials.py): "Tungsten", not "Tungsten or Tungsten compound" and "TUNGSTEN"."""

from __future__ import annotations

from collections.abc import Iterable

import pydicom
import pytest
from pydicom.dataset import Dataset

from ingest.rdsr import read
from ingest.rdsr.materials import material_name
from tests.conftest import corpus_file
from tests.ingest.rdsr.image_builder import mammogram, part10

ANODE, FILTER = "111632", "113757"  # Anode Target Material, X-Ray Filter Material (DCM, TID 10003B)


def _stated(path: str, concept: str) -> set[str]:
    """The code meanings the file itself gives for a concept, read with pydicom."""
    found: set[str] = set()

    def walk(items: Iterable[Dataset]) -> None:
        for item in items:
            names = item.get("ConceptNameCodeSequence") or []
            if names and names[0].CodeValue == concept:
                found.add(str(item.ConceptCodeSequence[0].CodeMeaning))
            walk(item.get("ContentSequence") or [])

    walk(pydicom.dcmread(corpus_file(path)).ContentSequence)
    return found


@pytest.mark.parametrize(
    ("path", "anode", "filter_material"),
    [
        (
            "MG-RDSR-Hologic_2D.dcm",
            ("Tungsten or Tungsten compound", "Tungsten"),
            ("Rhodium or Rhodium compound", "Rhodium"),
        ),
        (
            "MG-RDSR-GEPristina-2D.dcm",
            ("Rhodium or Rhodium compound", "Rhodium"),
            ("Silver or Silver compound", "Silver"),
        ),
        (
            "RF-RDSR-GE.dcm",
            ("Tungsten or Tungsten compound", "Tungsten"),
            ("Aluminium or Aluminium Compound", "Aluminum"),
        ),
    ],
)
def test_an_rdsrs_snomed_meaning_reads_as_the_elements_name(
    path: str, anode: tuple[str, str], filter_material: tuple[str, str]
) -> None:
    assert (_stated(path, ANODE), _stated(path, FILTER)) == ({anode[0]}, {filter_material[0]})
    events = read(corpus_file(path)).as_dict()["events"]
    assert {event["anode"] for event in events} == {anode[1]}
    assert {layer["material"] for event in events for layer in event["filters"]} == {filter_material[1]}


def test_an_image_headers_defined_term_reads_as_the_same_name() -> None:
    header = mammogram(OrganDose="0.0123", AnodeTargetMaterial="TUNGSTEN", FilterMaterial="RHODIUM")
    event = read(part10(header)).as_dict()["events"][0]
    assert (event["anode"], event["filters"][0]["material"]) == ("Tungsten", "Rhodium")


@pytest.mark.parametrize(
    ("stated", "name"),
    [
        ("Molybdenum or Molybdenum compound", "Molybdenum"),
        ("aluminum or aluminum compound", "Aluminum"),
        ("COPPER", "Copper"),
        ("Copper or Zinc compound", "Copper or Zinc compound"),  # not one element: kept as sent
        ("Beryllium", "Beryllium"),  # a material the rule does not know: kept as sent
        ("  ", None),
    ],
)
def test_other_materials(stated: str, name: str | None) -> None:
    assert material_name(stated) == name
