"""The study page: one table per modality with the columns a physicist reads, in display units.

Every expected number is read from the DICOM file itself with pydicom (`sr_values`), never from Kerma's
reader, then put in display units by hand: DAP Gy·m² x 10^4 = Gy·cm², air kerma Gy x 1000 = mGy.
"""

from __future__ import annotations

import re

import pydicom
import pytest
from django.test import Client
from django.utils.html import strip_tags
from pydicom.sr.codedict import codes
from pydicom.sr.coding import Code

from registry.models import Site
from registry.templatetags.dose import significant
from tests.conftest import corpus_file, person
from tests.e2e.conftest import sr_values
from tests.registry.conftest import Store

pytestmark = pytest.mark.django_db
MEAN_CTDIVOL = Code("113830", "DCM", "Mean CTDIvol")  # not in pydicom's keyword dictionary


def _page(client: Client, north: Site, store: Store, name: str) -> str:
    study = store(name)
    client.force_login(person("phil", (north, "physicist")))
    return client.get(f"/studies/{study.pk}/").content.decode()


def _text(html: str) -> str:
    return " ".join(strip_tags(html).split())


def _table_rows(html: str, modality: str) -> list[list[str]]:
    table = re.search(rf'<table class="submissions events events-{modality}">(.*?)</table>', html, re.S)
    assert table is not None
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table[1], re.S)[1:]  # after the header row
    return [[_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] for row in rows]


def test_a_ct_acquisition_shows_its_technique_and_the_caret_reads_as_a_space(
    client: Client, north: Site, store: Store
) -> None:
    name = "CT-RDSR-Siemens-Multi-1.dcm"
    html = _page(client, north, store, name)
    raw = pydicom.dcmread(corpus_file(name)).StudyDescription
    assert "^" in raw and raw.replace("^", " ") in _text(html)
    (row,) = _table_rows(html, "ct")
    (ctdivol,) = sr_values(corpus_file(name), MEAN_CTDIVOL)
    (dlp,) = sr_values(corpus_file(name), codes.DCM.DLP)[:1]
    headers = ["Started", "Acquisition type", "Protocol", "Target region", "CTDIvol", "DLP", "Phantom"]
    cells = dict(zip(headers, row, strict=False))
    assert cells["Acquisition type"] == "Constant Angle Acquisition localizer"
    assert (cells["CTDIvol"], cells["DLP"]) == (f"{significant(ctdivol)} (not counted)", significant(dlp))
    assert cells["Phantom"] == "Body 32 cm"


def test_fluoroscopy_runs_show_dap_in_gy_cm2_and_times_as_minutes_and_seconds(
    client: Client, north: Site, store: Store
) -> None:
    name = "RF-RDSR-Philips_Allura.dcm"
    html = _page(client, north, store, name)
    rows = _table_rows(html, "rf")
    daps = sr_values(corpus_file(name), codes.DCM.DoseAreaProduct)
    durations = sr_values(corpus_file(name), codes.DCM.IrradiationDuration)
    assert [row[8] for row in rows] == [significant(dap * 1e4) for dap in daps]
    assert [row[6] for row in rows] == [
        f"{round(seconds) // 60}:{round(seconds) % 60:02d}" for seconds in durations
    ]
    (total_fluoro,) = sr_values(corpus_file(name), codes.DCM.TotalFluoroTime)
    assert f"Fluoroscopy time 0:{round(total_fluoro):02d} (m:ss)" in _text(html)
    assert "Per plane" in html  # the plane sums follow the runs


def test_mammograms_show_laterality_view_target_filter_and_agd(
    client: Client, north: Site, store: Store
) -> None:
    name = "MG-RDSR-Hologic_2D.dcm"
    html = _page(client, north, store, name)
    rows = _table_rows(html, "mg")
    agds = sr_values(corpus_file(name), codes.DCM.AverageGlandularDose)
    assert [(row[1], row[2], row[4], row[7]) for row in rows] == [
        ("L", "cranio-caudal", "Tungsten / Rhodium 0.05 mm", significant(agds[0])),
        ("R", "cranio-caudal", "Tungsten / Rhodium 0.05 mm", significant(agds[1])),
    ]
    accumulated = sum(sr_values(corpus_file(name), codes.DCM.AccumulatedAverageGlandularDose))
    assert f"Average glandular dose per examination {significant(accumulated)} mGy" in _text(html)


def test_an_administration_shows_its_activity_per_kilogram(client: Client, north: Site, store: Store) -> None:
    name = "NM-RRDSR-Siemens.dcm"
    html = _page(client, north, store, name)
    (activity,) = sr_values(corpus_file(name), codes.DCM.AdministeredActivity)
    weight = float(pydicom.dcmread(corpus_file(name)).PatientWeight)
    (row,) = re.findall(
        r"<tr><td>[^<]*</td>(.*?)</tr>", html.split("Radiopharmaceutical administrations")[1], re.S
    )
    cells = [_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[2:4] == [significant(activity), significant(activity / weight)]
