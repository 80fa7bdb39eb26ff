"""The registry's domain models: sites, devices, studies, dose reports, events."""

from registry.models.access import Membership, Role, visible_sites
from registry.models.audit import AuditEvent, actor_user, audit_record
from registry.models.devices import Device, device_identity_key
from registry.models.estimates import DoseEstimate as DoseEstimate
from registry.models.exams import ExternalCodeSystem, MappingRule, MatchField, MatchKind, StandardExam
from registry.models.pseudonyms import pseudonym
from registry.models.quality import QADevice, QAPatient, QASource
from registry.models.reference_levels import LevelKind, LevelStatus, ReferenceLevel, Scope
from registry.models.sites import AETitle, Site, SiteType, UploadToken
from registry.models.studies import (
    CTDIVOL_COUNTS,
    TOTAL_FIELDS,
    DoseReport,
    IrradiationEvent,
    Modality,
    RadiopharmaceuticalAdministration,
    Sex,
    Study,
)
from registry.models.workload import MonthlyWorkload

__all__ = [
    "CTDIVOL_COUNTS",
    "TOTAL_FIELDS",
    "AETitle",
    "AuditEvent",
    "Device",
    "DoseReport",
    "ExternalCodeSystem",
    "IrradiationEvent",
    "LevelKind",
    "LevelStatus",
    "MappingRule",
    "MatchField",
    "MatchKind",
    "Membership",
    "Modality",
    "MonthlyWorkload",
    "QADevice",
    "QAPatient",
    "QASource",
    "RadiopharmaceuticalAdministration",
    "ReferenceLevel",
    "Role",
    "Scope",
    "Sex",
    "Site",
    "SiteType",
    "StandardExam",
    "Study",
    "UploadToken",
    "actor_user",
    "audit_record",
    "device_identity_key",
    "pseudonym",
    "visible_sites",
]
