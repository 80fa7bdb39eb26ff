"""Studies, the dose reports stored for them, and their irradiation events and administrations.

All values are in the dose-report contract's canonical units, with the unit in the column name. A study
can have several reports (cumulative, continued, PET/CT); events are unique by their UID within a study,
and the study's totals are the sum of its contributing reports' stated totals (see registry.store).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from registry.models.devices import Device
from registry.models.quality import QASource
from registry.models.sites import Site


class Modality(models.TextChoices):
    CT = "CT", "Computed tomography"
    RF = "RF", "Fluoroscopy / angiography"
    DX = "DX", "Radiography"
    MG = "MG", "Mammography"
    NM = "NM", "Nuclear medicine"


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    OTHER = "O", "Other"


class DoseTotals(models.Model):
    """The accumulated dose columns shared by a study and each of its reports (contract `totals`)."""

    ct_dlp_total_mgycm = models.FloatField(null=True, blank=True)
    ct_event_count = models.IntegerField(null=True, blank=True)
    dap_total_gym2 = models.FloatField(null=True, blank=True)
    dose_rp_total_gy = models.FloatField(null=True, blank=True)
    fluoro_dap_total_gym2 = models.FloatField(null=True, blank=True)
    fluoro_dose_rp_total_gy = models.FloatField(null=True, blank=True)
    fluoro_time_total_s = models.FloatField(null=True, blank=True)
    acquisition_dap_total_gym2 = models.FloatField(null=True, blank=True)
    acquisition_dose_rp_total_gy = models.FloatField(null=True, blank=True)
    acquisition_time_total_s = models.FloatField(null=True, blank=True)
    agd_total_left_mgy = models.FloatField(null=True, blank=True)
    agd_total_right_mgy = models.FloatField(null=True, blank=True)
    administered_activity_mbq = models.FloatField(null=True, blank=True)
    effective_dose_msv = models.FloatField(null=True, blank=True)
    radiopharmaceutical = models.CharField(max_length=200, blank=True)
    radionuclide = models.CharField(max_length=100, blank=True)

    class Meta:
        abstract = True


TOTAL_FIELDS = tuple(field.name for field in DoseTotals._meta.local_fields)
# The per-exam metrics' columns (registry.statistics.metrics), which the statistics' covering index carries.
STATISTICS_VALUES = (
    "ct_dlp_total_mgycm",
    "dap_total_gym2",
    "dose_rp_total_gy",
    "fluoro_time_total_s",
    "agd_total_left_mgy",
    "agd_total_right_mgy",
    "administered_activity_mbq",
)

# The one rule of which CT events count for CTDIvol (docs/analytics.md): not a localizer, and a CTDIvol
# reported. A scout reports 0.1-1 mGy or nothing, and counted it would pull medians and DRLs 2-3x low.
# `~Q(localizer=True)` keeps events whose flag is unknown (null), which only non-CT events have.
CTDIVOL_COUNTS = Q(ctdivol_mgy__isnull=False) & ~Q(localizer=True)


class StudyQuerySet(models.QuerySet["Study"]):
    def for_user(self, user: Any, roles: tuple[str, ...] | None = None) -> StudyQuerySet:
        """Only the studies of sites the user may see (registry.models.access.visible_sites), optionally
        only those where they hold one of `roles`."""
        from registry.models.access import visible_sites

        return self.filter(site__in=visible_sites(user, roles))

    def for_site(self, site: Site) -> StudyQuerySet:
        return self.filter(site=site)

    def patients(self) -> StudyQuerySet:
        """Only studies of patients: no quality-control scans (phantoms, constancy tests, vendor QA).

        The one rule for everything that counts patients: statistics, charts, samples, workload and any
        alert. A QA scan's dose says nothing about patients, and counted it would move medians and DRLs.
        """
        return self.filter(qa=False)

    def qa_scans(self) -> StudyQuerySet:
        """The studies left out as quality-control scans, for the page that lists them."""
        return self.filter(qa=True)


class Study(DoseTotals):
    """One examination at one site, de-identified: pseudonyms instead of patient ID and accession number."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="studies")
    study_instance_uid = models.CharField(max_length=64)
    study_date = models.DateField(null=True, blank=True)
    study_time = models.TimeField(null=True, blank=True)
    modality = models.CharField(max_length=2, choices=Modality.choices)
    modalities = models.CharField(max_length=20, help_text="Every modality reported, comma-separated.")
    description = models.CharField(max_length=300, blank=True)
    requested_procedure = models.CharField(max_length=300, blank=True)
    procedure_reported = models.CharField(max_length=200, blank=True)
    standard_exam = models.ForeignKey(
        "registry.StandardExam",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="studies",
        help_text="Set by the mapping rules (registry.mapping.rules); empty while no rule matches.",
    )
    device = models.ForeignKey(
        "registry.Device",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The device of the study's first stored report: per-device statistics group by it.",
    )
    accession_pseudonym = models.CharField(max_length=64, blank=True)
    patient_pseudonym = models.CharField(max_length=64, blank=True, db_index=True)
    patient_age_years = models.FloatField(null=True, blank=True)
    patient_sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    patient_weight_kg = models.FloatField(null=True, blank=True)
    patient_height_m = models.FloatField(null=True, blank=True)
    ctdivol_max_mgy = models.FloatField(
        null=True, blank=True, help_text="Highest CTDIvol of the events counted for CTDIvol (no localizers)."
    )
    qa = models.BooleanField(
        default=False,
        help_text="A quality-control scan (phantom, constancy test): not a patient, so not counted.",
    )
    qa_source = models.CharField(
        max_length=10,
        choices=QASource.choices,
        blank=True,
        help_text="What decided the QA flag; a physicist's decision is never changed by the rules.",
    )
    qa_reason = models.CharField(max_length=300, blank=True)
    qa_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    qa_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = StudyQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "study_instance_uid"], name="study_unique_per_site"),
        ]
        indexes = [
            models.Index(fields=["site", "modality", "study_date"], name="study_site_modality_date"),
            models.Index(fields=["modality", "study_date"], name="study_modality_date"),
            # Date ranges across modalities and sites: the workload chart's cut months, the studies list.
            models.Index(fields=["study_date"], name="study_date"),
            models.Index(fields=["description"], name="study_description"),
            models.Index(fields=["standard_exam", "site", "study_date"], name="study_exam_site_date"),
            # The QA page lists a site's few QA scans; a partial index stays as small as they are few.
            models.Index(fields=["site", "study_date"], condition=Q(qa=True), name="study_qa_site_date"),
            # Covering indexes: every column a query reads is in the index, so PostgreSQL (and SQLite) answer
            # from the index alone and never visit the wide study rows (docs/performance.md). Key columns, not
            # INCLUDE, which SQLite lacks. Patients only (`StudyQuerySet.patients`), as every count is.
            # The statistics, trend and weight charts of one exam: an exam's studies lie in every page of the
            # table, and here together, by site and device, the order the statistics group them in.
            models.Index(
                fields=[
                    "standard_exam",
                    "site",
                    "device",
                    "modalities",
                    "study_date",
                    "patient_age_years",
                    "patient_weight_kg",
                    "patient_sex",
                    *STATISTICS_VALUES,
                    "id",
                ],
                condition=Q(qa=False),
                name="study_exam_statistics",
            ),
            # The workload chart's counts under a patient filter, and in the days of a month a range cuts.
            models.Index(
                fields=[
                    "study_date",
                    "site",
                    "standard_exam",
                    "modalities",
                    "patient_weight_kg",
                    "patient_age_years",
                    "patient_sex",
                ],
                condition=Q(qa=False),
                name="study_patients_date",
            ),
            # The fluoroscopy chart: the few studies with DAP and air kerma, in the order it samples them.
            models.Index(
                fields=["id", "site", "qa", "modalities", "dap_total_gym2", "dose_rp_total_gy"],
                condition=Q(dap_total_gym2__isnull=False, dose_rp_total_gy__isnull=False),
                name="study_dap_and_air_kerma",
            ),
        ]
        ordering = ["-study_date", "-study_time", "id"]
        verbose_name_plural = "studies"

    def __str__(self) -> str:
        return f"{self.site.code} {self.modality} {self.study_date} {self.description}"


class DoseReport(DoseTotals):
    """One stored dose SR (by SOP Instance UID) with its own stated totals, kept for audit."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="reports")
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="reports")
    # Unique per site (enforced under the study lock): a report forwarded to two sites belongs to both.
    sop_instance_uid = models.CharField(max_length=64, db_index=True)
    sop_class_uid = models.CharField(max_length=64)
    template = models.CharField(max_length=5)
    modality = models.CharField(max_length=2, choices=Modality.choices)
    event_uids = models.JSONField(default=list, help_text="The report's own irradiation event UIDs.")
    contributes = models.BooleanField(
        default=True, help_text="False when a later cumulative report covers all of this report's events."
    )
    planes = models.JSONField(default=list)
    warnings = models.JSONField(default=list)
    source_of_dose_information = models.JSONField(default=list)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["received_at", "id"]

    def __str__(self) -> str:
        return f"{self.modality} report {self.sop_instance_uid}"


class IrradiationEvent(models.Model):
    """One CT acquisition or projection exposure; the columns that do not apply to its kind are null."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="events")
    report = models.ForeignKey(DoseReport, on_delete=models.CASCADE, related_name="events")
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="events")
    uid = models.CharField(max_length=64)
    kind = models.CharField(max_length=12)
    modality = models.CharField(max_length=2, choices=Modality.choices)
    started_at = models.DateTimeField(null=True, blank=True)
    acquisition_type = models.CharField(max_length=100, blank=True)
    localizer = models.BooleanField(
        null=True,
        blank=True,
        help_text="CT: acquisition type 113805 Constant Angle (a scout). Null if not CT.",
    )
    protocol = models.CharField(max_length=200, blank=True)
    target_region = models.CharField(max_length=100, blank=True)
    plane = models.CharField(max_length=6, blank=True)
    # CT
    ctdivol_mgy = models.FloatField(null=True, blank=True)
    dlp_mgycm = models.FloatField(null=True, blank=True)
    phantom = models.CharField(max_length=6, blank=True)
    scanning_length_mm = models.FloatField(null=True, blank=True)
    exposure_time_s = models.FloatField(null=True, blank=True)
    pitch = models.FloatField(null=True, blank=True)
    total_collimation_mm = models.FloatField(null=True, blank=True)
    number_of_sources = models.IntegerField(null=True, blank=True)
    kvp = models.FloatField(null=True, blank=True)
    tube_current_ma = models.FloatField(null=True, blank=True)
    tube_current_max_ma = models.FloatField(null=True, blank=True)
    sources = models.JSONField(default=list)
    ctdivol_alert_mgy = models.FloatField(null=True, blank=True)
    dlp_alert_mgycm = models.FloatField(null=True, blank=True)
    ctdivol_notification_mgy = models.FloatField(null=True, blank=True)
    dlp_notification_mgycm = models.FloatField(null=True, blank=True)
    # Projection
    dap_gym2 = models.FloatField(null=True, blank=True)
    dose_rp_gy = models.FloatField(null=True, blank=True)
    exposure_mas = models.FloatField(null=True, blank=True)
    pulse_rate_per_s = models.FloatField(null=True, blank=True)
    number_of_pulses = models.FloatField(null=True, blank=True)
    irradiation_duration_s = models.FloatField(null=True, blank=True)
    pulse_width_s = models.FloatField(null=True, blank=True)
    primary_angle_deg = models.FloatField(null=True, blank=True)
    secondary_angle_deg = models.FloatField(null=True, blank=True)
    filters = models.JSONField(default=list)
    # Mammography
    agd_mgy = models.FloatField(null=True, blank=True)
    entrance_exposure_mgy = models.FloatField(null=True, blank=True)
    laterality = models.CharField(max_length=1, blank=True)
    view = models.CharField(max_length=100, blank=True)
    compression_thickness_mm = models.FloatField(null=True, blank=True)
    hvl_mm = models.FloatField(null=True, blank=True)
    anode = models.CharField(max_length=100, blank=True)
    # Every value of quantities with several per event (per pulse, per source)
    kvp_values = models.JSONField(default=list)
    tube_current_ma_values = models.JSONField(default=list)
    tube_current_max_ma_values = models.JSONField(default=list)
    pulse_width_s_values = models.JSONField(default=list)
    # Enhanced X-Ray Radiation Dose SR (TID 10040): the event's end and X-ray source, whether it was a repeat
    # or rejected (and why), and the details of its source's time windows (TID 10043).
    ended_at = models.DateTimeField(null=True, blank=True)
    xray_source = models.CharField(max_length=200, blank=True)
    repeated = models.BooleanField(null=True, blank=True)
    repeat_reason = models.CharField(max_length=200, blank=True)
    rejected = models.BooleanField(null=True, blank=True)
    reject_reason = models.CharField(max_length=200, blank=True)
    field_area_m2 = models.FloatField(null=True, blank=True)
    output_air_kerma_mgy = models.FloatField(null=True, blank=True)
    patient_equivalent_thickness_mm = models.FloatField(null=True, blank=True)
    water_equivalent_diameter_mm = models.FloatField(null=True, blank=True)
    geometry = models.JSONField(
        default=dict,
        help_text="TID 10040: frame_of_reference_uid and _origin, output_point_mm and reference_point_mm "
        "(x, y, z in mm in that frame); empty for other reports.",
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["study", "uid"], name="event_unique_per_study")]
        indexes = [
            models.Index(fields=["modality", "protocol"], name="event_modality_protocol"),
            models.Index(fields=["device", "modality"], name="event_device_modality"),
            # Covering (as Study's study_exam_statistics): per-sequence statistics read a selected study's
            # events, their device and values from the index alone, not from the wide event rows.
            models.Index(
                fields=["study", "device", "localizer", "ctdivol_mgy", "agd_mgy"], name="event_study_values"
            ),
        ]
        ordering = ["study", "started_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} event {self.uid}"


class RadiopharmaceuticalAdministration(models.Model):
    """One administration of a radiopharmaceutical (TID 10022), unique by its UID within a study."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="administrations")
    report = models.ForeignKey(DoseReport, on_delete=models.CASCADE, related_name="administrations")
    uid = models.CharField(max_length=64)
    started_at = models.DateTimeField(null=True, blank=True)
    administered_activity_mbq = models.FloatField(null=True, blank=True)
    radiopharmaceutical = models.CharField(max_length=200, blank=True)
    radionuclide = models.CharField(max_length=100, blank=True)
    route = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["study", "uid"], name="administration_unique_per_study")
        ]
        ordering = ["study", "started_at", "id"]

    def __str__(self) -> str:
        return f"administration {self.uid}"
