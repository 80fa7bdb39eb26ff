"""The study page lists each event with its acquisition type; a localizer is marked and its CTDIvol is
shown as not counted; DAP shows in Gy·cm² and air kerma in mGy, three significant digits.

Values: Siemens Multi-3 (read with pydicom in tests/ingest/rdsr/test_ct_localizers_...): topogram 0.15 mGy,
spirals 8.13 and 7.02 mGy. Philips Allura's first event is hand-checked below.
"""

from __future__ import annotations

import re

import pydicom
import pytest
from django.test import Client

from registry.models import Role, Site
from tests.conftest import corpus_file, person
from tests.registry.conftest import Store

pytestmark = pytest.mark.django_db


def _page(client: Client, north: Site, pk: int) -> str:
    client.force_login(person("phil", (north, Role.PHYSICIST)))
    response = client.get(f"/studies/{pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _rows(html: str) -> list[list[str]]:
    table = html[html.index('<table class="submissions events') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)[1:]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in rows
    ]


def test_the_localizer_is_marked_and_not_counted(store: Store, north: Site, client: Client) -> None:
    study = store("CT-RDSR-Siemens-Multi-3.dcm")
    html = _page(client, north, study.pk)
    rows = _rows(html)
    # CT columns: started, acquisition type, protocol, target region, CTDIvol, ...
    assert [(row[1], row[4]) for row in rows] == [
        ("Constant Angle Acquisition localizer", "0.15 (not counted)"),
        ("Spiral Acquisition", "8.13"),
        ("Spiral Acquisition", "7.02"),
    ]
    assert "Highest CTDIvol" in html and "8.13 mGy (localizers not counted)" in html


def test_dap_and_air_kerma_show_in_display_units(store: Store, north: Site, client: Client) -> None:
    name = "RF-RDSR-Philips_Allura.dcm"
    study = store(name)
    dataset = pydicom.dcmread(corpus_file(name))
    dap_gym2, kerma_gy = _first_event_dap_and_kerma(dataset)
    first = _rows(_page(client, north, study.pk))[0]
    # Fluoroscopy columns: started, plane, mode, protocol, pulse rate, pulses, time, angles, DAP, Ka,r, ...
    assert float(first[8]) == pytest.approx(dap_gym2 * 1e4, rel=0.005)  # Gy·m² -> Gy·cm²
    assert float(first[9]) == pytest.approx(kerma_gy * 1e3, rel=0.005)  # Gy -> mGy
    assert len(first[8].replace("-", "").replace(".", "").lstrip("0")) <= 3  # three significant digits


def _first_event_dap_and_kerma(dataset: pydicom.Dataset) -> tuple[float, float]:
    """DAP (122130) and Dose (RP) (113738) of the first Irradiation Event X-Ray Data (113706), by pydicom."""

    def walk(items: list[pydicom.Dataset]) -> pydicom.Dataset | None:
        for item in items:
            names = item.get("ConceptNameCodeSequence")
            if names and names[0].CodeValue == "113706":
                return item
            found = walk(list(item.get("ContentSequence", [])))
            if found is not None:
                return found
        return None

    event = walk(list(dataset.ContentSequence))
    assert event is not None
    values = {
        child.ConceptNameCodeSequence[0].CodeValue: float(child.MeasuredValueSequence[0].NumericValue)
        for child in event.ContentSequence
        if child.get("ValueType") == "NUM"
    }
    return values["122130"], values["113738"]
