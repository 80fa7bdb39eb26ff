"""Typical exam doses, free-text exam names per site style, and the equipment catalogue of the scenario.

Doses are rounded medians in the range of published national reference-level surveys (e.g. UK NDRL 2022,
EUCLID, ACR DIR), so a synthetic site sits near the reference levels and the high-dose site clearly above.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydicom.sr.coding import Code

from ingest.synth import vocab as v
from ingest.synth.spec import CtAcquisitionType, Modality, Phantom, VariantSpec


@dataclass(frozen=True)
class CtScan:
    """One acquisition of a CT exam: median CTDIvol (mGy) and scan length (mm) give the DLP."""

    kind: CtAcquisitionType
    region: Code
    ctdivol_mgy: float
    length_mm: float
    phantom: Phantom
    kvp: float = 120.0


@dataclass(frozen=True)
class CtExam:
    """A CT examination: its free-text names (one per site style) and its acquisitions in order."""

    key: str
    names: tuple[str, ...]
    scans: tuple[CtScan, ...]


@dataclass(frozen=True)
class DxView:
    """One radiographic projection: median DAP (Gy·m²), exposed field area at the RP (m²), kVp and mAs."""

    region: Code
    dap_gym2: float
    field_m2: float
    kvp: float
    mas: float


@dataclass(frozen=True)
class DxExam:
    """A radiography examination and its views."""

    key: str
    names: tuple[str, ...]
    views: tuple[DxView, ...]


@dataclass(frozen=True)
class RfExam:
    """A fluoroscopy / angiography examination: median total DAP (Gy·m²), fluoro time (s), event counts."""

    key: str
    names: tuple[str, ...]
    region: Code
    dap_total_gym2: float
    fluoro_time_s: float
    fluoro_events: tuple[int, int]
    acquisition_events: tuple[int, int]
    acquisition_share: float
    cine: bool


@dataclass(frozen=True)
class MgExam:
    """A mammography examination: its views as (laterality, view) pairs and the median AGD per view (mGy)."""

    key: str
    names: tuple[str, ...]
    views: tuple[tuple[str, Code], ...]
    agd_mgy: float


def _localizer(region: Code, length_mm: float = 400.0) -> CtScan:
    return CtScan("Constant Angle Acquisition", region, 0.2, length_mm, "body32")


CT_EXAMS = (
    CtExam(
        "CT_HEAD",
        ("CT HEAD ROUTINE", "Head^Routine (Adult)", "HEAD WO", "BRAIN NON CONTRAST", "CT Head w/o"),
        (_localizer(v.HEAD, 250.0), CtScan("Spiral Acquisition", v.HEAD, 50.0, 160.0, "head16")),
    ),
    CtExam(
        "CT_CHEST",
        ("CT CHEST ROUTINE", "Thorax^Routine (Adult)", "CHEST W", "THORAX STANDARD", "CT Chest w/"),
        (_localizer(v.CHEST), CtScan("Spiral Acquisition", v.CHEST, 8.0, 350.0, "body32")),
    ),
    CtExam(
        "CT_ABDOMEN_PELVIS",
        ("CT ABD PELVIS", "Abdomen^AbdPel (Adult)", "ABD/PEL W", "ABDOMEN-PELVIS PORTAL", "CT A/P w/"),
        (
            _localizer(v.ABDOMEN_PELVIS, 500.0),
            CtScan("Spiral Acquisition", v.ABDOMEN_PELVIS, 10.0, 480.0, "body32"),
        ),
    ),
    CtExam(
        "CT_CAP",
        ("CT CHEST ABD PELVIS", "Body^CAP (Adult)", "C/A/P W", "TAP STAGING", "CT CAP w/"),
        (
            _localizer(v.CHEST_ABDOMEN_PELVIS, 700.0),
            _localizer(v.CHEST_ABDOMEN_PELVIS, 700.0),
            CtScan("Spiral Acquisition", v.CHEST, 7.0, 300.0, "body32"),
            CtScan("Spiral Acquisition", v.ABDOMEN_PELVIS, 9.0, 470.0, "body32"),
        ),
    ),
)

DX_EXAMS = (
    DxExam(
        "DX_CHEST",
        ("CHEST PA", "Thorax pa", "XR CHEST 1V", "CHEST PA ERECT", "Chest^PA"),
        (DxView(v.CHEST, 1.0e-5, 0.15, 125.0, 2.0),),
    ),
    DxExam(
        "DX_ABDOMEN",
        ("ABDOMEN AP", "Abdomen ap liegend", "XR ABD 1V", "ABDOMEN SUPINE", "Abdomen^AP"),
        (DxView(v.ABDOMEN, 2.5e-4, 0.15, 75.0, 25.0),),
    ),
    DxExam(
        "DX_LUMBAR_SPINE",
        ("L-SPINE AP+LAT", "LWS 2 Ebenen", "XR LSPINE 2V", "LUMBAR SPINE 2 VIEWS", "LSpine^AP/LAT"),
        (DxView(v.LUMBAR_SPINE, 1.5e-4, 0.06, 80.0, 25.0), DxView(v.LUMBAR_SPINE, 2.5e-4, 0.06, 90.0, 40.0)),
    ),
)

RF_EXAMS = (
    RfExam(
        "RF_BARIUM_SWALLOW",
        ("BARIUM SWALLOW", "Oesophagus Breischluck", "FL ESOPHAGRAM", "BA SWALLOW", "Swallow^Barium"),
        v.ESOPHAGUS,
        1.0e-3,
        150.0,
        (3, 6),
        (2, 6),
        0.4,
        False,
    ),
    RfExam(
        "RF_CORONARY_ANGIO",
        ("CORONARY ANGIOGRAPHY", "Koronarangiographie", "CATH LHC", "CORO DIAGNOSTIC", "Cardiac^Coro"),
        v.HEART,
        3.0e-3,
        300.0,
        (6, 12),
        (6, 10),
        0.6,
        True,
    ),
)

MG_EXAMS = (
    MgExam(
        "MG_SCREENING",
        (
            "MAMMO SCREENING BILAT",
            "Mammographie Screening",
            "MG SCREEN 4V",
            "SCREENING MAMMOGRAM",
            "Mammo^Screen",
        ),
        (
            ("R", v.CRANIO_CAUDAL),
            ("L", v.CRANIO_CAUDAL),
            ("R", v.MEDIO_LATERAL_OBLIQUE),
            ("L", v.MEDIO_LATERAL_OBLIQUE),
        ),
        1.5,
    ),
)


@dataclass(frozen=True)
class Model:
    """A device model in the catalogue; CT localizer names and MG anode / filter follow the vendor."""

    modality: Modality
    manufacturer: str
    model_name: str
    software_versions: str
    localizer_name: str = "Localizer"
    dual_source: bool = False
    biplane: bool = False
    anode: Code = v.TUNGSTEN
    mg_filter: Code = v.RHODIUM
    variant: VariantSpec = field(default_factory=VariantSpec)


CATALOGUE: dict[Modality, tuple[Model, ...]] = {
    "CT": (
        Model("CT", "SIEMENS", "SOMATOM Definition AS+", "syngo CT VB20A", "Topogram"),
        Model("CT", "GE MEDICAL SYSTEMS", "Revolution CT", "revo_ct_22", "Scout"),
        Model("CT", "Canon Medical Systems", "Aquilion ONE", "V10.8", "Scanogram"),
        Model("CT", "SIEMENS", "SOMATOM Force", "syngo CT VB10A", "Topogram", dual_source=True),
        Model("CT", "Philips", "iCT 256", "4.1.6", "Surview"),
    ),
    "DX": (
        Model("DX", "CARESTREAM", "DRX-Evolution", "5.7.412"),
        Model("DX", "Philips Medical Systems", "DigitalDiagnost C90", "1.2.1"),
        Model("DX", "SIEMENS", "Ysio Max", "VF11E"),
    ),
    "RF": (
        Model("RF", "Siemens", "AXIOM-Artis", "VC14J"),
        Model("RF", "Philips Medical Systems", "Allura Xper FD20/10", "8.1.17", biplane=True),
        # Like the real Ultimax-i: DAP in dGy.cm2 and dose at the RP in mGy.
        Model("RF", "CANON_MEC", "Ultimax-i", "V6.10", variant=VariantSpec("dGy.cm2", "mGy")),
        Model("RF", "GE Healthcare", "Innova IGS 630", "IGS_6.4", biplane=True),
    ),
    "MG": (
        Model("MG", "HOLOGIC, Inc.", "Selenia Dimensions", "1.11.1", mg_filter=v.SILVER),
        Model("MG", "GE HEALTHCARE", "Senographe Pristina", "ADS_56.50", anode=v.RHODIUM),
        Model("MG", "SIEMENS", "MAMMOMAT Revelation", "VB10", mg_filter=v.RHODIUM),
    ),
}

SITE_NAMES = (
    "Synthetic General Hospital",
    "Synthetic University Clinic",
    "Synthetic County Infirmary",
    "Synthetic Lakeside Medical Centre",
    "Synthetic Children's and Adults' Hospital",
    "Synthetic Valley Imaging Institute",
)
