"""Read-only representations of studies for the API; units in field names, as in the models."""

from __future__ import annotations

from rest_framework import serializers

from registry.models import (
    TOTAL_FIELDS,
    Device,
    DoseReport,
    IrradiationEvent,
    RadiopharmaceuticalAdministration,
    Site,
    StandardExam,
    Study,
)

STUDY_FIELDS = [
    "id",
    "site",
    "study_instance_uid",
    "study_date",
    "study_time",
    "modality",
    "modalities",
    "description",
    "requested_procedure",
    "procedure_reported",
    "standard_exam",
    "patient_age_years",
    "patient_sex",
    "patient_weight_kg",
    "patient_height_m",
    *TOTAL_FIELDS,
]


class DeviceSerializer(serializers.ModelSerializer[Device]):
    class Meta:
        model = Device
        fields = [
            "id",
            "display_name",
            "manufacturer",
            "model_name",
            "serial_number",
            "station_name",
            "institution_name",
            "software_versions",
            "device_observer_uid",
        ]


class DoseReportSerializer(serializers.ModelSerializer[DoseReport]):
    """One received report and its own stated totals; `contributes`: do they count in the study's?"""

    device = DeviceSerializer(read_only=True)

    class Meta:
        model = DoseReport
        fields = [
            "id",
            "sop_instance_uid",
            "sop_class_uid",
            "template",
            "modality",
            "device",
            "contributes",
            "received_at",
            *TOTAL_FIELDS,
            "planes",
            "warnings",
        ]


class IrradiationEventSerializer(serializers.ModelSerializer[IrradiationEvent]):
    class Meta:
        model = IrradiationEvent
        exclude = ["study"]


class AdministrationSerializer(serializers.ModelSerializer[RadiopharmaceuticalAdministration]):
    class Meta:
        model = RadiopharmaceuticalAdministration
        exclude = ["study"]


class StandardExamSerializer(serializers.ModelSerializer[StandardExam]):
    class Meta:
        model = StandardExam
        fields = ["id", "name"]


class StudySerializer(serializers.ModelSerializer[Study]):
    """A study in lists: its header and its totals (the sum of its contributing reports' stated totals).

    `standard_exam` is the examination the mapping rules gave it (id and name), null while none matched.
    """

    site: serializers.SlugRelatedField[Site] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    standard_exam = StandardExamSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Study
        fields = STUDY_FIELDS


class StudyDetailSerializer(StudySerializer):
    """A study with every report received for it, its irradiation events and administrations."""

    reports = DoseReportSerializer(many=True, read_only=True)
    events = IrradiationEventSerializer(many=True, read_only=True)
    administrations = AdministrationSerializer(many=True, read_only=True)

    class Meta(StudySerializer.Meta):
        fields = [*STUDY_FIELDS, "reports", "events", "administrations"]
