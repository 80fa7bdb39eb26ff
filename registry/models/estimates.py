"""Dose estimates a Patient Radiation Dose SR (TID 10030) states, each linked to its study and its report.

An estimate is not a measurement: organ-dose and skin-dose programs compute it from other dose reports, so
every row keeps how it was made (`methodology`) and from what (`sr_instances_used`), and it never enters the
study's totals or the DRL statistics. Canonical units with the unit in the column name, as everywhere:
absorbed dose in `dose_gy`, equivalent and effective dose in `dose_sv` (one of the two is null).
"""

from __future__ import annotations

from django.db import models

from registry.models.studies import DoseReport, Study


class EstimateKind(models.TextChoices):
    ABSORBED = "absorbed", "Absorbed dose"
    EQUIVALENT = "equivalent", "Equivalent dose"
    EFFECTIVE = "effective", "Effective dose"


class DoseEstimate(models.Model):
    """One estimated value (contract `estimates[]`): quantity, target, value, representation, provenance."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="dose_estimates")
    report = models.ForeignKey(DoseReport, on_delete=models.CASCADE, related_name="dose_estimates")
    name = models.CharField(max_length=300, blank=True, help_text="Radiation Dose Estimate Name (128403).")
    quantity_code = models.CharField(max_length=80, blank=True, help_text='Scheme and code, "DCM:128533".')
    quantity = models.CharField(max_length=200, blank=True, help_text="The quantity's meaning as sent.")
    kind = models.CharField(max_length=10, choices=EstimateKind.choices, blank=True)
    dose_gy = models.FloatField(null=True, blank=True, help_text="Absorbed dose.")
    dose_sv = models.FloatField(null=True, blank=True, help_text="Equivalent or effective dose.")
    stated_value = models.FloatField(null=True, blank=True)
    stated_unit = models.CharField(max_length=20, blank=True)
    representation = models.CharField(
        max_length=200, blank=True, help_text="Distribution Representation (128413, CID 10063)."
    )
    representation_data_uid = models.CharField(
        max_length=64, blank=True, help_text="The dose map object (128414) the value summarises."
    )
    target_code = models.CharField(max_length=80, blank=True)
    target = models.CharField(max_length=200, blank=True, help_text="Organ or region, CID 10060.")
    laterality = models.CharField(max_length=100, blank=True)
    methodology = models.JSONField(
        default=dict, help_text="TID 10033 (patient and transport model, parameters) and the software."
    )
    sr_instances_used = models.JSONField(
        default=list, help_text="[{sop_instance_uid, sop_class_uid, event_uids}]; no event UIDs: all used."
    )

    class Meta:
        ordering = ["study", "report", "id"]

    def __str__(self) -> str:
        return f"{self.quantity or 'dose estimate'} {self.target}".strip()
