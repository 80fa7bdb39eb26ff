"""The modality of one report, by the contract's rule: evidence of fluoroscopy beats device labels.

Decided per report, never per device: one Siemens Fluorospot sends radiography and fluoroscopy reports, and
Dual-RDSR-DX carries fluoro totals of zero without being fluoroscopy (rdsr-notes §3).
"""

from __future__ import annotations

from ingest.rdsr import codes
from ingest.rdsr.model import Modality, Template, Totals
from ingest.rdsr.projection import has_fluoroscopy
from ingest.rdsr.tree import Item


def classify(template: Template, root: Item, totals: Totals) -> Modality:
    """CT, NM, MG, RF or DX for one report."""
    if template == "10021":
        return "NM"
    if template == "10011":
        return "CT"
    procedure = root.first(codes.PROCEDURE_REPORTED)
    if procedure is not None and procedure.code == codes.MAMMOGRAPHY_PROCEDURE:
        return "MG"
    if has_fluoroscopy(root, totals):
        return "RF"
    device_type = root.first(codes.ACQUISITION_DEVICE_TYPE)
    if device_type is not None and device_type.code == codes.FLUOROSCOPY_GUIDED:
        return "RF"
    return "DX"
