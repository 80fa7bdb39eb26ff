"""Concept codes the reader matches on, with legacy SNOMED spellings folded into one key.

PS3.16 concepts are matched on (code value, coding scheme) only; meanings vary between vendors. SNOMED
concepts arrive as SRT (SNOMED-RT, most devices), SNM3 (Carestream, Hologic) or SCT (current editions), so
every code is reduced to a `Concept` key in which the three spellings of one SNOMED concept are equal.
"""

from __future__ import annotations

from typing import NamedTuple

from pydicom.sr._snomed_dict import mapping as _snomed_mapping


class Concept(NamedTuple):
    """A scheme-normalised code: `scheme` is "DCM", "SCT" (any SNOMED spelling) or the scheme as sent."""

    scheme: str
    value: str


_SRT_TO_SCT: dict[str, str] = dict(_snomed_mapping["SRT"])
# Radiopharmaceutical agent (TID 10022), sent as SRT by Siemens, is missing from pydicom's SRT->SCT map.
_SRT_TO_SCT["F-61FDB"] = "349358000"
_SNOMED_LEGACY = frozenset({"SRT", "SNM3", "99SDM"})


def concept(value: str, scheme: str) -> Concept:
    """Normalise one (code value, scheme) pair to its matching key.

    SRT/SNM3 codes map to their SCT value; a SNOMED-RT-shaped code sent under DCM (Eurocolumbus sends the
    aluminium code C-120F9 so) is treated as SNOMED too.
    """
    scheme = scheme.strip().upper()
    value = value.strip()
    if scheme in _SNOMED_LEGACY or (scheme == "DCM" and value in _SRT_TO_SCT):
        return Concept("SCT", _SRT_TO_SCT.get(value, value))
    return Concept(scheme, value)


def dcm(value: str) -> Concept:
    """A DICOM (DCM) concept."""
    return Concept("DCM", value)


def sct(value: str) -> Concept:
    """A SNOMED CT concept, given by its SCT code."""
    return Concept("SCT", value)


# Roots and routing (PS3.16 TID 10001, 10011, 10021, 10030)
XRAY_DOSE_REPORT = dcm("113701")
RADIOPHARMACEUTICAL_DOSE_REPORT = dcm("113500")
PATIENT_DOSE_REPORT = dcm("128401")
PROCEDURE_REPORTED = dcm("121058")
ASSOCIATED_PROCEDURE = sct("363589002")
CT_PROCEDURE = sct("77477000")
MAMMOGRAPHY_PROCEDURE = sct("71651007")
ACQUISITION_DEVICE_TYPE = dcm("122142")
FLUOROSCOPY_GUIDED = dcm("113957")
SOURCE_OF_DOSE_INFORMATION = dcm("113854")
DERIVED_FROM_HUMAN_READABLE = dcm("113868")
COMMENT = dcm("121106")

# TID 1002/1004 observer context
DEVICE_OBSERVER_UID = dcm("121012")
DEVICE_OBSERVER_NAME = dcm("121013")
DEVICE_OBSERVER_MANUFACTURER = dcm("121014")
DEVICE_OBSERVER_MODEL = dcm("121015")
DEVICE_OBSERVER_SERIAL = dcm("121016")
START_OF_IRRADIATION = dcm("113809")

# TID 10012/10013 CT
CT_ACCUMULATED = dcm("113811")
CT_EVENT_COUNT = dcm("113812")
CT_DLP_TOTAL = dcm("113813")
CT_EFFECTIVE_DOSE_TOTAL = dcm("113814")
CT_ACQUISITION = dcm("113819")
CT_ACQUISITION_TYPE = dcm("113820")
# CID 10013: the localizer (scout, topogram) is acquired at a constant tube angle.
CONSTANT_ANGLE_ACQUISITION = dcm("113805")
CT_ACQUISITION_PARAMETERS = dcm("113822")
CT_SOURCE_PARAMETERS = dcm("113831")
CT_DOSE = dcm("113829")
SOURCE_ID = dcm("113832")
MEAN_CTDIVOL = dcm("113830")
PHANTOM_TYPE = dcm("113835")
DLP = dcm("113838")
SCANNING_LENGTH = dcm("113825")
PITCH = dcm("113828")
TOTAL_COLLIMATION = dcm("113827")
NUMBER_OF_SOURCES = dcm("113823")
MAX_TUBE_CURRENT = dcm("113833")
EXPOSURE_TIME_PER_ROTATION = dcm("113834")
HEAD_PHANTOM = dcm("113690")
BODY_PHANTOM = dcm("113691")
DOSE_CHECK_ALERT = dcm("113900")
DOSE_CHECK_NOTIFICATION = dcm("113908")
DLP_ALERT_VALUE = dcm("113903")
CTDIVOL_ALERT_VALUE = dcm("113904")
DLP_NOTIFICATION_VALUE = dcm("113911")
CTDIVOL_NOTIFICATION_VALUE = dcm("113912")

# Shared event items
IRRADIATION_EVENT_UID = dcm("113769")
DATETIME_STARTED = dcm("111526")
ACQUISITION_PROTOCOL = dcm("125203")
TARGET_REGION = dcm("123014")
ANATOMICAL_STRUCTURE = sct("91723000")
LATERALITY = sct("272741003")
KVP = dcm("113733")
TUBE_CURRENT = dcm("113734")
AVERAGE_TUBE_CURRENT = dcm("113767")
EXPOSURE_TIME = dcm("113824")
EXPOSURE_TIME_RETIRED = dcm("113735")

# TID 10001/10002/10003 projection
ACCUMULATED_XRAY_DOSE = dcm("113702")
ACQUISITION_PLANE = dcm("113764")
PLANE_A = dcm("113620")
PLANE_B = dcm("113621")
IRRADIATION_EVENT_XRAY = dcm("113706")
IRRADIATION_EVENT_TYPE = dcm("113721")
FLUOROSCOPY_EVENT = sct("44491008")
DAP_TOTAL = dcm("113722")
DOSE_RP_TOTAL = dcm("113725")
FLUORO_DAP_TOTAL = dcm("113726")
FLUORO_DOSE_RP_TOTAL = dcm("113728")
FLUORO_TIME_TOTAL = dcm("113730")
ACQUISITION_DAP_TOTAL = dcm("113727")
ACQUISITION_DOSE_RP_TOTAL = dcm("113729")
ACQUISITION_TIME_TOTAL = dcm("113855")
REFERENCE_POINT_DEFINITION = dcm("113780")
DAP = dcm("122130")
DOSE_RP = dcm("113738")
EXPOSURE = dcm("113736")
PULSE_RATE = dcm("113791")
NUMBER_OF_PULSES = dcm("113768")
IRRADIATION_DURATION = dcm("113742")
PULSE_WIDTH = dcm("113793")
PRIMARY_ANGLE = dcm("112011")
SECONDARY_ANGLE = dcm("112012")
XRAY_FILTERS = dcm("113771")
FILTER_MATERIAL = dcm("113757")
FILTER_THICKNESS_MIN = dcm("113758")
FILTER_THICKNESS_MAX = dcm("113773")

# TID 10003/10005 mammography
ACCUMULATED_AGD = dcm("111637")
AGD = dcm("111631")
ENTRANCE_EXPOSURE = dcm("111636")
COMPRESSION_THICKNESS = dcm("111633")
HVL = dcm("111634")
ANODE_TARGET_MATERIAL = dcm("111632")
IMAGE_VIEW = dcm("111031")
LEFT_SIDE = frozenset({sct("80248007"), sct("7771000")})  # Left breast, Left
RIGHT_SIDE = frozenset({sct("73056007"), sct("24028007")})  # Right breast, Right
BOTH_SIDES = frozenset({sct("51440002"), sct("63762007")})  # Right and left, Both breasts

# TID 10021/10022 radiopharmaceutical
RADIOPHARMACEUTICAL_ADMINISTRATION = dcm("113502")
ADMINISTRATION_EVENT_UID = dcm("113503")
ADMINISTERED_ACTIVITY = dcm("113507")
RADIOPHARMACEUTICAL_AGENT = sct("349358000")
RADIONUCLIDE = sct("89457008")
ROUTE_OF_ADMINISTRATION = sct("410675002")
RADIOPHARMACEUTICAL_START = dcm("123003")
PATIENT_CHARACTERISTICS = dcm("121118")
SUBJECT_AGE = dcm("121033")
SUBJECT_SEX = dcm("121032")
PATIENT_HEIGHT = Concept("LN", "8302-2")
PATIENT_WEIGHT = Concept("LN", "29463-7")
SIEMENS_EFFECTIVE_DOSE_CONTAINER = Concept("99SHS", "220001")
EFFECTIVE_DOSE = dcm("113839")

# TID 10040-10055 Enhanced X-Ray Radiation Dose (Supplement 214; docs/dose-objects.md says which rows were
# confirmed in PS3.16). 113832 Identification of the X-Ray Source is SOURCE_ID above.
ACCUMULATED_DOSE_DATA = dcm("130500")
IRRADIATION_EVENT_SUMMARY = dcm("130501")
IRRADIATION_DETAILS = dcm("130505")
DATETIME_ENDED = dcm("111527")
IS_REPEATED_ACQUISITION = dcm("128551")
REPEAT_REASON = dcm("128552")
IS_REJECTED_ACQUISITION = dcm("130503")
REJECT_REASON = dcm("130504")
YES = sct("373066001")
NO = sct("373067005")
FRAME_OF_REFERENCE_UID = dcm("112227")
FRAME_OF_REFERENCE_ORIGIN = dcm("130506")
RADIATION_TECHNIQUE = dcm("130511")
FILTRATION = dcm("130512")
ATTENUATOR_CHARACTERISTICS = dcm("130531")
EQUIVALENT_ATTENUATOR_MATERIAL = dcm("128465")
FILTER_THICKNESS = dcm("130509")
RADIATION_OUTPUT = dcm("130514")
OUTPUT_AIR_KERMA = dcm("130515")
RADIATION_FIELD_AREA = dcm("130516")
COLLIMATED_FIELD_AREA = dcm("113790")
BEAM_POSITION = dcm("130524")
OUTPUT_POINT_POSITION = dcm("130525")
REFERENCE_POINT_POSITION = dcm("130526")
PATIENT_ATTENUATION = dcm("130529")
PATIENT_EQUIVALENT_THICKNESS = dcm("111638")
WATER_EQUIVALENT_DIAMETER = dcm("113980")
PROCEDURE_CHARACTERISTICS = dcm("130530")
EXPOSURE_INDEX = dcm("113845")
TARGET_EXPOSURE_INDEX = dcm("113846")
DEVIATION_INDEX = dcm("113847")
