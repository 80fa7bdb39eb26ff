"""The registry's domain models: sites, devices, studies, dose reports, events."""

from registry.models.access import Membership, Role, visible_sites
from registry.models.devices import Device, device_identity_key
from registry.models.sites import AETitle, Site, SiteType, UploadToken
from registry.models.studies import (
    TOTAL_FIELDS,
    DoseReport,
    IrradiationEvent,
    Modality,
    RadiopharmaceuticalAdministration,
    Sex,
    Study,
)

__all__ = [
    "TOTAL_FIELDS",
    "AETitle",
    "Device",
    "DoseReport",
    "IrradiationEvent",
    "Membership",
    "Modality",
    "RadiopharmaceuticalAdministration",
    "Role",
    "Sex",
    "Site",
    "SiteType",
    "Study",
    "UploadToken",
    "device_identity_key",
    "visible_sites",
]
