"""Two ready Patient Radiation Dose SR specs: CT organ and effective doses, and a fluoroscopy peak skin dose.

Each is made from one synthetic dose report (`StudySpec`) and references it, so a test can store the report
and its estimates in one study. The values are round numbers a test can check by hand.
"""

from __future__ import annotations

import datetime as dt

from pydicom.sr.codedict import codes
from pydicom.uid import XRayRadiationDoseSRStorage

from ingest.synth.patient_dose import ModelSpec, PatientDoseSpec, SourceUsed, ValueSpec
from ingest.synth.spec import CtEventSpec, StudySpec
from ingest.synth.uids import derived_uid

D = codes.DCM
EFFECTIVE_DOSE_SV = 0.0062
ORGAN_DOSES_GY = {"Lung": 0.0148, "Breast": 0.0121, "Thyroid": 0.0043, "Stomach": 0.0061}
PEAK_SKIN_DOSE_GY = 1.85


def _used(study: StudySpec, event_uids: tuple[str, ...] = ()) -> SourceUsed:
    return SourceUsed(study.sop_uid, study.series_uid, XRayRadiationDoseSRStorage, event_uids)


def _scanned(study: StudySpec) -> tuple[str, ...]:
    """The report's events that are not localizers (CID 10013 Constant Angle Acquisition)."""
    return tuple(
        event.uid
        for event in study.report.events
        if not (isinstance(event, CtEventSpec) and event.acquisition_type == "Constant Angle Acquisition")
    )


def organ_dose_spec(study: StudySpec, *, minimal: bool = False, milli: bool = False) -> PatientDoseSpec:
    """Effective dose and four organ doses of a CT study, made from its one CT dose report.

    The localizers are left out of the estimate, so its events are listed as Event UID Used (TID 10033 row 4
    is required exactly when some events were not used). With `minimal`, every optional row is absent: no
    name, no event list, no model reference or demographics, no parameters, no method, no laterality, no
    comment. With `milli`, values are written in mSv and mGy instead of CID 10071's Sv and Gy.
    """
    scanned = _scanned(study)
    listed = scanned if len(scanned) < len(study.report.events) and not minimal else ()
    sv, gy, scale = ("mSv", "mGy", 1000.0) if milli else ("Sv", "Gy", 1.0)
    mean = codes.cid10061.MeanAbsorbedRadiationDose
    paired = None if minimal else codes.SCT.Bilateral
    organs = {"Lung": paired, "Breast": paired, "Thyroid": None, "Stomach": None}
    values = (
        ValueSpec(codes.SCT.EntireBody, D.EffectiveDose, EFFECTIVE_DOSE_SV * scale, sv),
        *(
            ValueSpec(getattr(codes.SCT, organ), mean, ORGAN_DOSES_GY[organ] * scale, gy, laterality)
            for organ, laterality in organs.items()
        ),
    )
    full_model = ModelSpec(
        reference="ICRP Publication 110 adult reference computational phantoms",
        min_age_years=18,
        sex=D.Female if study.patient.sex == "F" else D.Male,
        method=codes.MSH.MonteCarloMethod,
        method_reference="Synthetic organ dose tables, Kerma tests",
        parameters=((D.PatientAPDimension, 220, "mm"), (D.PatientLateralDimension, 320, "mm")),
    )
    return PatientDoseSpec(
        study=study,
        sop_uid=derived_uid("prdsr", "organ", minimal, milli, study.sop_uid),
        series_uid=derived_uid("prdsr-series", study.sop_uid),
        created=study.study_datetime + dt.timedelta(hours=1),
        sources=(_used(study, listed),),
        values=values,
        model=ModelSpec() if minimal else full_model,
        name=None if minimal else "CT organ and effective dose",
        comment=None if minimal else "Synthetic estimate for tests",
    )


def skin_dose_spec(study: StudySpec) -> PatientDoseSpec:
    """The peak skin dose of a fluoroscopy study, with the skin dose map it summarises (CID 10063)."""
    peak = ValueSpec(
        target=codes.SCT.Skin,
        quantity=codes.cid10061.MaximumAbsorbedRadiationDose,
        value=PEAK_SKIN_DOSE_GY,
        unit="Gy",
        distribution=D.SkinDoseMap,
        map_uid=derived_uid("prdsr-skin-map", study.sop_uid),
    )
    model = ModelSpec(
        patient_model=D.SimpleObjectModel,
        transport_model=D.GeometricRadiationTransportModel,
        parameters=((D.Backscatter, 1.3, "1"),),
    )
    return PatientDoseSpec(
        study=study,
        sop_uid=derived_uid("prdsr", "skin", study.sop_uid),
        series_uid=derived_uid("prdsr-series", study.sop_uid),
        created=study.study_datetime + dt.timedelta(hours=1),
        sources=(_used(study),),
        values=(peak,),
        model=model,
        name="Peak skin dose",
    )
