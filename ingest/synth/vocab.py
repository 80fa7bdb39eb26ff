"""Concept, value and unit codes the writer uses, looked up once at import so writing stays fast.

DCM concepts come from `pydicom.sr.codedict.codes`. SNOMED concepts are written with the legacy SRT codes
that devices in the field still send (PS3.16 Annex O maps them to SCT), so they are plain `Code` values.
"""

from __future__ import annotations

from pydicom.sr.codedict import codes
from pydicom.sr.coding import Code

D = codes.DCM

# Document root and TID 10001 / 10011 header rows.
DOSE_REPORT = D.XRayRadiationDoseReport
PROCEDURE_REPORTED = D.ProcedureReported
HAS_INTENT = Code("G-C0E8", "SRT", "Has Intent")
DIAGNOSTIC_INTENT = Code("R-408C3", "SRT", "Diagnostic Intent")
CT_PROCEDURE = Code("P5-08000", "SRT", "Computed Tomography X-Ray")
MAMMOGRAPHY = Code("P5-40010", "SRT", "Mammography")
PROJECTION_XRAY = D.ProjectionXRay
ACQUISITION_DEVICE_TYPE = D.AcquisitionDeviceType
INTEGRATED = D.IntegratedProjectionRadiographySystem
FLUORO_GUIDED = D.FluoroscopyGuidedProjectionRadiographySystem

# TID 1002 / 1004 observer context, scope of accumulation (CID 10000), source of dose (CID 10020/10021).
OBSERVER_TYPE = D.ObserverType
DEVICE = D.Device
DEVICE_OBSERVER_UID = D.DeviceObserverUID
DEVICE_OBSERVER_NAME = D.DeviceObserverName
DEVICE_OBSERVER_MANUFACTURER = D.DeviceObserverManufacturer
DEVICE_OBSERVER_MODEL = D.DeviceObserverModelName
DEVICE_OBSERVER_SERIAL = D.DeviceObserverSerialNumber
SCOPE_OF_ACCUMULATION = D.ScopeOfAccumulation
STUDY = D.Study
STUDY_INSTANCE_UID = D.StudyInstanceUID
SOURCE_OF_DOSE_INFORMATION = D.SourceOfDoseInformation
AUTOMATED_DATA_COLLECTION = D.AutomatedDataCollection

# TID 10011 / 10012 / 10013 / 10014 CT.
START_OF_IRRADIATION = D.StartOfXRayIrradiation
END_OF_IRRADIATION = D.EndOfXRayIrradiation
CT_ACCUMULATED = D.CTAccumulatedDoseData
TOTAL_EVENTS = D.TotalNumberOfIrradiationEvents
CT_DLP_TOTAL = D.CTDoseLengthProductTotal
CT_ACQUISITION = D.CTAcquisition
ACQUISITION_PROTOCOL = D.AcquisitionProtocol
TARGET_REGION = D.TargetRegion
CT_ACQUISITION_TYPE = D.CTAcquisitionType
IRRADIATION_EVENT_UID = D.IrradiationEventUID
CT_ACQUISITION_PARAMETERS = D.CTAcquisitionParameters
EXPOSURE_TIME = D.ExposureTime
SCANNING_LENGTH = D.ScanningLength
SINGLE_COLLIMATION = D.NominalSingleCollimationWidth
TOTAL_COLLIMATION = D.NominalTotalCollimationWidth
PITCH_FACTOR = D.PitchFactor
NUMBER_OF_SOURCES = D.NumberOfXRaySources
CT_SOURCE_PARAMETERS = D.CTXRaySourceParameters
SOURCE_ID = D.IdentificationOfTheXRaySource
KVP = D.KVP
MAX_TUBE_CURRENT = D.MaximumXRayTubeCurrent
TUBE_CURRENT = D.XRayTubeCurrent
EXPOSURE_TIME_PER_ROTATION = D.ExposureTimePerRotation
CT_DOSE = D.CTDose
MEAN_CTDIVOL = D.MeanCtdivol
PHANTOM_TYPE = D.CtdiwPhantomType
DLP = D.DLP
MODULATION_TYPE = D.XRayModulationType
PHANTOMS = {"head16": D.IECHeadDosimetryPhantom, "body32": D.IECBodyDosimetryPhantom}
CT_ACQUISITION_TYPES = {
    "Spiral Acquisition": Code("P5-08001", "SRT", "Spiral Acquisition"),
    "Sequenced Acquisition": D.SequencedAcquisition,
    "Constant Angle Acquisition": D.ConstantAngleAcquisition,
}

# TID 10002 / 10004 / 10005 / 10007 accumulation and TID 10003 projection events.
ACCUMULATED_XRAY = D.AccumulatedXRayDoseData
ACQUISITION_PLANE = D.AcquisitionPlane
PLANES = {"A": D.PlaneA, "B": D.PlaneB, "single": D.SinglePlane}
DAP_TOTAL = D.DoseAreaProductTotal
DOSE_RP_TOTAL = D.DoseRPTotal
FLUORO_DAP_TOTAL = D.FluoroDoseAreaProductTotal
FLUORO_DOSE_RP_TOTAL = D.FluoroDoseRPTotal
FLUORO_TIME_TOTAL = D.TotalFluoroTime
ACQUISITION_DAP_TOTAL = D.AcquisitionDoseAreaProductTotal
ACQUISITION_DOSE_RP_TOTAL = D.AcquisitionDoseRPTotal
ACQUISITION_TIME_TOTAL = D.TotalAcquisitionTime
TOTAL_FRAMES = D.TotalNumberOfRadiographicFrames
REFERENCE_POINT_DEFINITION = D.ReferencePointDefinition
ACCUMULATED_AGD = D.AccumulatedAverageGlandularDose
LATERALITY = Code("G-C171", "SRT", "Laterality")
BREAST_LATERALITY = {"L": Code("T-04030", "SRT", "Left breast"), "R": Code("T-04020", "SRT", "Right breast")}
SIDE_LATERALITY = {
    "L": Code("G-A101", "SRT", "Left"),
    "R": Code("G-A100", "SRT", "Right"),
    "B": Code("G-A102", "SRT", "Right and left"),
}
IRRADIATION_EVENT = D.IrradiationEventXRayData
DATETIME_STARTED = D.DatetimeStarted
IRRADIATION_EVENT_TYPE = D.IrradiationEventType
EVENT_TYPES = {
    "Fluoroscopy": Code("P5-06000", "SRT", "Fluoroscopy"),
    "Stationary Acquisition": D.StationaryAcquisition,
    "Stepping Acquisition": D.SteppingAcquisition,
    "Rotational Acquisition": D.RotationalAcquisition,
}
DAP = D.DoseAreaProduct
DOSE_RP = D.DoseRP
FLUORO_MODE = D.FluoroMode
PULSED = D.Pulsed
PULSE_RATE = D.PulseRate
NUMBER_OF_PULSES = D.NumberOfPulses
IRRADIATION_DURATION = D.IrradiationDuration
PULSE_WIDTH = D.PulseWidth
EXPOSURE = D.Exposure
PRIMARY_ANGLE = D.PositionerPrimaryAngle
SECONDARY_ANGLE = D.PositionerSecondaryAngle
XRAY_FILTERS = D.XRayFilters
FILTER_TYPE = D.XRayFilterType
FLAT_FILTER = D.FlatFilter
FILTER_MATERIAL = D.XRayFilterMaterial
FILTER_THICKNESS_MIN = D.XRayFilterThicknessMinimum
FILTER_THICKNESS_MAX = D.XRayFilterThicknessMaximum
AGD = D.AverageGlandularDose
ENTRANCE_EXPOSURE = D.EntranceExposureAtRP
COMPRESSION_THICKNESS = D.CompressionThickness
HVL = D.HalfValueLayer
ANODE = D.AnodeTargetMaterial
IMAGE_VIEW = D.ImageView

# Reference points (CID 10025).
RP_ISOCENTER = D._15cmFromIsocenterTowardSource
RP_DETECTOR = D.InDetectorPlane

# Value sets: anatomy (CID 4030 / 4031), views (CID 4014), materials (CID 10006 / 10016).
HEAD = Code("T-D1100", "SRT", "Head")
CHEST = Code("T-D3000", "SRT", "Chest")
ABDOMEN = Code("T-D4000", "SRT", "Abdomen")
PELVIS = Code("T-D6000", "SRT", "Pelvis")
ABDOMEN_PELVIS = Code("R-FAB57", "SRT", "Abdomen and Pelvis")
CHEST_ABDOMEN_PELVIS = Code("R-FAB56", "SRT", "Chest, Abdomen and Pelvis")
LUMBAR_SPINE = Code("T-11503", "SRT", "Lumbar spine")
ESOPHAGUS = Code("T-56000", "SRT", "Esophagus")
HEART = Code("T-32000", "SRT", "Heart")
BREAST = Code("T-04000", "SRT", "Breast")
CRANIO_CAUDAL = Code("R-10242", "SRT", "cranio-caudal")
MEDIO_LATERAL_OBLIQUE = Code("R-10226", "SRT", "medio-lateral oblique")
TUNGSTEN = Code("C-164F9", "SRT", "Tungsten or Tungsten compound")
MOLYBDENUM = Code("C-150F9", "SRT", "Molybdenum or Molybdenum compound")
RHODIUM = Code("C-167F9", "SRT", "Rhodium or Rhodium compound")
SILVER = Code("C-137F9", "SRT", "Silver or Silver compound")
ALUMINUM = Code("C-120F9", "SRT", "Aluminum or Aluminum compound")
COPPER = Code("C-127F9", "SRT", "Copper or Copper compound")

# UCUM units (PS3.16 CID 7181 style spellings).
UNIT_MEANINGS = {
    "mGy": "mGy",
    "mGy.cm": "mGy.cm",
    "Gy.m2": "Gy.m2",
    "dGy.cm2": "dGy.cm2",
    "cGy.cm2": "cGy.cm2",
    "mGy.cm2": "mGy.cm2",
    "Gy": "Gy",
    "s": "s",
    "ms": "ms",
    "kV": "kV",
    "mA": "mA",
    "uA.s": "uA.s",
    "mm": "mm",
    "deg": "deg",
    "{ratio}": "ratio",
    "{X-Ray sources}": "X-Ray sources",
    "{events}": "events",
    "{pulse}/s": "pulse/s",
    "1": "no units",
}
UNITS = {value: Code(value, "UCUM", meaning) for value, meaning in UNIT_MEANINGS.items()}
