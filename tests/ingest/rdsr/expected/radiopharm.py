"""Expected values of the radiopharmaceutical dose report (TID 10021), read by hand from its pydicom dump."""

from __future__ import annotations

from tests.ingest.rdsr._corpus import RADIOPHARM_DOSE_SR_CLASS, SCHEMA, Entry, Time, entries, event

NM_RRDSR = "NM-RRDSR-Siemens.dcm"
RADIOPHARM_FILES = [NM_RRDSR]

_ADMIN_UID = "1.3.12.2.1107.5.1.4.11090.20220224104830.0"

RADIOPHARM_EXPECTED: list[Entry] = [
    # Header (age 063Y, weight 110, size 1.78; no Device Observer in the content: header identity); 113500
    # > G-C2D0 = P5-0A00A; one 113502 > F-61FDB = C-B1031 (>> C-10072 = C-111A1), 113503, 113507 394 MBq,
    # G-C340 = G-D101, private 220001 (99SHS) > 113839 7.486 mSv; 121118 > 121033 63 a, 121032 M, LN height
    # 1.78 m, LN weight 110 kg.
    *entries(
        NM_RRDSR,
        {
            "schema": SCHEMA,
            "sop_class_uid": RADIOPHARM_DOSE_SR_CLASS,
            "template": "10021",
            "modality": "NM",
            "sop_instance_uid": "1.3.12.2.1107.5.1.4.11090.30000022022409484529300000027",
            "study_instance_uid": "1.2.840.113619.6.95.31.0.3.4.1.4400.13.8620675",
            "device.manufacturer": "SIEMENS",
            "device.model_name": "Biograph64_Vision 600_Vision 600-1208",
            "device.serial_number": "11090",
            "device.station_name": "CTAWP00001",
            "device.device_observer_uid": None,
            "device.software_versions": "VG80B",
            "study.date": "2022-02-24",
            "study.time": Time("11:50:25.472"),
            "study.accession_number": "TEST123456",
            "study.description": "PET/CT Ganzkoerper FDG",
            "study.procedure_reported": "PET study for localization of tumor",  # G-C2D0 meaning
            "study.requested_procedure": "PET/CT Ganzkoerper FDG",
            "patient.id": "REMOVED1",
            "patient.sex": "M",
            "patient.age_years": 63,
            "patient.weight_kg": 110,
            "patient.height_m": 1.78,
            "totals.administered_activity_mbq": 394,
            "totals.effective_dose_msv": 7.486,
            "totals.radiopharmaceutical": "Fluorodeoxyglucose F^18^",
            "totals.radionuclide": "^18^Fluorine",
            "totals.ct_dlp_total_mgycm": None,
            "totals.dap_total_gym2": None,
            "len(planes)": 0,
            "len(events)": 1,
            **event(
                0,
                {
                    "uid": _ADMIN_UID,
                    "kind": "radiopharmaceutical",
                    "administered_activity_mbq": 394,
                    "radiopharmaceutical": "Fluorodeoxyglucose F^18^",
                    "radionuclide": "^18^Fluorine",
                    "route": "Intravenous route",
                    "plane": None,
                    "ctdivol_mgy": None,
                    "dap_gym2": None,
                },
            ),
        },
    ),
]
