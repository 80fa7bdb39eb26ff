"""The dose estimates of a Patient Radiation Dose SR (TID 10030) as the contract's frozen dataclasses.

Other software (organ-dose calculators, skin-dose mappers) makes these estimates from dose reports it names,
so each estimate carries how it was made (`Methodology`, TID 10033) and what it was made from
(`SrInstanceUsed`): a registry must never mistake an estimate for a value a device measured. Field names are
the `estimates` keys of the `kerma.dose-report/1` contract; `DoseReport.as_dict()` converts them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# What a number estimates: absorbed dose (Gy, CID 10061), equivalent dose (Sv, CID 10062) or effective dose
# (Sv, 113839). The contract keeps Gy and Sv in separate keys so that no one adds the two.
EstimateKind = Literal["absorbed", "equivalent", "effective"]


@dataclass(frozen=True, slots=True)
class Parameter:
    """One named value of the methodology: a model demographic (128427) or an estimate parameter (128434)."""

    code: str | None = None  # "DCM:128405": scheme and value, as `DoseEstimate.quantity_code`
    name: str | None = None  # the concept's meaning as sent
    value: float | str | None = None  # a NUM's number, a CODE's meaning or a TEXT
    unit: str | None = None  # a NUM's unit as sent (UCUM)


@dataclass(frozen=True, slots=True)
class SrInstanceUsed:
    """One dose report the estimate was made from (128416), and which of its events (128429) it used.

    No event UIDs means every event of that report was used: TID 10033 lists them only when some were not.
    """

    sop_instance_uid: str | None = None
    sop_class_uid: str | None = None
    event_uids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Methodology:
    """How the estimate was made (TID 10033): the patient model, the transport model, the parameters."""

    patient_model: str | None = None  # 128417 Patient Model Type, CID 10064
    transport_model: str | None = None  # 128420 Radiation Transport Model Type, CID 10065
    model_reference: str | None = None  # 128426 Patient Radiation Dose Model Reference
    model_data_uid: str | None = None  # 128425 Patient Radiation Dose Model Data (a reference or a UID)
    model_demographics: tuple[Parameter, ...] = ()  # 128427 Patient Model Demographics
    method: str | None = None  # 128477 Radiation Dose Estimate Method Type, CID 10068
    method_reference: str | None = None  # 128482 Radiation Dose Estimate Method Reference
    parameters: tuple[Parameter, ...] = ()  # 128434 Radiation Dose Estimate Parameters, CID 10069
    comment: str | None = None  # 121106 Comment of the model


@dataclass(frozen=True, slots=True)
class DoseEstimate:
    """One estimated dose value: what, to which target, how much, in which representation, made how.

    `dose_gy` holds an absorbed dose, `dose_sv` an equivalent or effective dose; the other is None. The
    value as stated (`stated_value`, `stated_unit`) is kept beside the canonical one for audit.
    """

    name: str | None = None  # 128403 Radiation Dose Estimate Name
    quantity_code: str | None = None  # the NUM's concept, "DCM:128533"
    quantity: str | None = None  # its meaning as sent, "Mean Absorbed Radiation Dose"
    kind: EstimateKind | None = None
    dose_gy: float | None = None
    dose_sv: float | None = None
    stated_value: float | None = None
    stated_unit: str | None = None
    representation: str | None = None  # 128413 Distribution Representation, CID 10063 ("Skin Dose Map")
    representation_data_uid: str | None = None  # 128414 Radiation Dose Representation Data
    target_code: str | None = None  # "SCT:39607008"
    target: str | None = None  # the organ or region, CID 10060 ("Lung", "Entire body", "Skin")
    laterality: str | None = None
    methodology: Methodology = field(default_factory=Methodology)
    sr_instances_used: tuple[SrInstanceUsed, ...] = ()
