"""GET /exports/events.xlsx: a row per irradiation event of real vendor reports, equal to the database and
to the DICOM files themselves, and only of the sites the person exports."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pydicom
import pytest
from django.db.models import Count
from django.test import Client
from pydicom.sr.codedict import codes
from pydicom.sr.coding import Code

from ingest.rdsr import read
from registry.exports.columns import EVENT_COLUMNS
from registry.models import IrradiationEvent, Role, Site, StandardExam, Study
from registry.store import store_dose_report
from tests.conftest import corpus_file, person
from tests.registry.exports.conftest import streamed

pytestmark = pytest.mark.django_db

# CT, fluoroscopy (ISO 2022 IR 87 text, per-event start times), mammography and radiography at ALPHA.
ALPHA_FILES = (
    "CT-RDSR-GEPixelMed.dcm",
    "RF-RDSR-Philips_Allura.dcm",
    "MG-RDSR-Hologic_2D.dcm",
    "DX-RDSR-Canon_CXDI.dcm",
)
BRAVO_FILES = ("CT-RDSR-ToshibaPixelMed.dcm",)


@pytest.fixture
def corpus(alpha: Site, bravo: Site, head: StandardExam) -> None:
    """The files read and stored as ingest stores them; the CT study mapped to an exam, as a rule would."""
    for site, names in ((alpha, ALPHA_FILES), (bravo, BRAVO_FILES)):
        for name in names:
            store_dose_report(site=site, report=read(corpus_file(name)).as_dict())
    Study.objects.filter(site=alpha, modality="CT").update(standard_exam=head)


@pytest.fixture
def alpha_physicist(corpus: None, alpha: Site) -> Client:
    client = Client()
    client.force_login(person("phil", (alpha, Role.PHYSICIST)))
    return client


def sheets(client: Client, **params: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's rows, each padded to the header's width (openpyxl leaves trailing blanks out)."""
    response = client.get("/exports/events.xlsx", params)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(streamed(response)), read_only=True)
    result = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        width = max((len(row) for row in rows), default=0)
        result[sheet.title] = [tuple(row) + (None,) * (width - len(row)) for row in rows]
    return result


def as_records(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    header, *data = rows
    return [dict(zip(header, row, strict=True)) for row in data]


def expected(event: IrradiationEvent, path: str) -> Any:
    """The value a cell must hold, read from the model objects (not the export's SQL) as Excel keeps it."""
    value: Any = event
    if path == "device_name":
        return str(event.device)
    for part in path.split("__"):
        value = getattr(value, part) if value is not None else None
    if value == "":
        return None  # an empty text is a blank cell
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return value


def same(cell: Any, value: Any) -> bool:
    if isinstance(value, datetime):  # Excel keeps a time as a fraction of a day
        return isinstance(cell, datetime) and abs(cell - value) < timedelta(milliseconds=1)
    if isinstance(value, float):  # XlsxWriter writes 16 significant digits
        return cell == pytest.approx(value, rel=1e-15)
    return bool(cell == value)


def test_every_event_of_the_site_is_a_row_equal_to_the_database(alpha_physicist: Client) -> None:
    rows = sheets(alpha_physicist)["Events"]
    assert list(rows[0]) == [column.header for column in EVENT_COLUMNS]
    events = IrradiationEvent.objects.filter(study__site__code="ALPHA").order_by("study_id", "id")
    records = as_records(rows)
    assert len(records) == events.count() == 2 + 3 + 2 + 1
    assert {record["Event modality"] for record in records} == {"CT", "RF", "MG", "DX"}
    for record, event in zip(records, events.select_related("study__site", "device"), strict=True):
        for column in EVENT_COLUMNS:
            want = expected(event, column.path)
            assert same(record[column.header], want), (column.header, record[column.header], want)


def ct_acquisitions(path: str) -> list[dict[str, Any]]:
    """Each CT Acquisition (TID 10013) of the file, walked by hand: protocol, Mean CTDIvol, DLP and kVp."""
    found = []
    for item in pydicom.dcmread(path).ContentSequence:
        if _concept(item) != codes.DCM.CTAcquisition:
            continue
        values: dict[str, Any] = {"protocol": None}
        for child in _walk(item):
            if _concept(child) == codes.DCM.AcquisitionProtocol:
                values["protocol"] = child.TextValue
            elif _concept(child) in (codes.DCM.MeanCtdivol, codes.DCM.DLP, codes.DCM.KVP):
                values[str(_concept(child).value)] = float(child.MeasuredValueSequence[0].NumericValue)
        found.append(values)
    return found


def _concept(item: Any) -> Code:
    name = item.ConceptNameCodeSequence[0]
    return Code(name.CodeValue, name.CodingSchemeDesignator, name.CodeMeaning)


def _walk(item: Any) -> Iterator[Any]:
    for child in item.get("ContentSequence", []):
        yield child
        yield from _walk(child)


def test_ct_doses_are_those_of_the_dicom_file(alpha_physicist: Client) -> None:
    records = as_records(sheets(alpha_physicist)["Events"])
    by_hand = ct_acquisitions(str(corpus_file("CT-RDSR-GEPixelMed.dcm")))
    # The file states (113830) Mean CTDIvol 222.59 mGy and (113838) DLP 111.30 mGy.cm for this acquisition.
    qa = next(values for values in by_hand if values["protocol"] == "10.13 RADIOTHERAPY QA")
    assert (qa["113830"], qa["113838"], qa["113733"]) == (222.59, 111.30, 120.0)
    row = next(record for record in records if record["Protocol"] == "10.13 RADIOTHERAPY QA")
    assert (row["CTDIvol (mGy)"], row["DLP (mGy.cm)"], row["Tube voltage (kV)"]) == (222.59, 111.30, 120.0)
    assert row["Device"].startswith("GE MEDICAL SYSTEMS LightSpeed RT16")  # + the station name, rt16
    assert row["Standard exam"] == "Head routine"
    ct_rows = [record for record in records if record["Event modality"] == "CT"]
    assert sorted(row["DLP (mGy.cm)"] for row in ct_rows) == sorted(values["113838"] for values in by_hand)


def test_a_fluoroscopy_event_shows_its_start_and_doses_as_in_the_file(alpha_physicist: Client) -> None:
    """RF-RDSR-Philips_Allura, event 2 (read with a DICOM viewer): DateTime Started 20160315084433.074
    (no offset: the registry's zone, UTC here), DAP 6.4148712533E-05 Gy.m2, Dose (RP) 0.00178446054343 Gy,
    KVP 80 kV, Pulse Width 45.3307501350839 ms."""
    records = as_records(sheets(alpha_physicist)["Events"])
    row = next(record for record in records if record["Protocol"] == "Abdomen 2fps 25%")
    assert abs(row["Started at"] - datetime(2016, 3, 15, 8, 44, 33, 74000)) < timedelta(milliseconds=1)
    assert (
        row["DAP (Gy.m2)"] == 6.4148712533e-05 and row["Reference point air kerma (Gy)"] == 0.00178446054343
    )
    assert row["Tube voltage (kV)"] == 80.0
    assert row["Pulse width (s)"] == pytest.approx(0.0453307501350839)
    assert row["CTDIvol (mGy)"] is None and row["AGD (mGy)"] is None  # columns of other kinds stay empty


def test_the_summary_counts_what_the_sheets_hold(alpha_physicist: Client) -> None:
    summary = sheets(alpha_physicist)["Summary"]
    assert summary[0][0] == "Kerma events export"
    assert any(row[0] == "Generated at (UTC)" for row in summary)
    lines = [row[:3] for row in summary]
    events = IrradiationEvent.objects.filter(study__site__code="ALPHA").order_by()
    for modality, kind, n in events.values_list("modality", "kind").annotate(n=Count("pk")):
        assert (modality, kind, n) in lines
    assert ("CT", "Head routine", 2) in lines
    assert ("Events", 8, None) in lines


def test_another_sites_events_never_appear(alpha_physicist: Client) -> None:
    book = sheets(alpha_physicist)
    assert list(book) == ["Summary", "Events"]
    records = as_records(book["Events"])
    assert {record["Site"] for record in records} == {"ALPHA"}
    assert not any(str(record["Device"]).startswith("TOSHIBA") for record in records)
    alpha_studies = set(Study.objects.filter(site__code="ALPHA").values_list("pk", flat=True))
    assert {record["Study id"] for record in records} <= alpha_studies
    assert alpha_physicist.get("/exports/events.xlsx", {"site": "BRAVO"}).status_code == 403


def test_a_superuser_exports_the_events_of_every_site(client: Client, corpus: None) -> None:
    client.force_login(person("root", superuser=True))
    records = as_records(sheets(client)["Events"])
    assert {record["Site"] for record in records} == {"ALPHA", "BRAVO"}
    assert len(records) == IrradiationEvent.objects.count() == 8 + 3
