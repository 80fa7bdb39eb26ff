"""DRL statistics API: per-site (or per-device) dose summaries of one exam and metric, and the registry DRL.

The view only parses and scopes: the numbers come from registry.statistics.drl, the selection from the
dashboard filter family (registry.statistics.filters), the access rule from registry.api.scoping.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.db.models import QuerySet
from django_filters import Filter
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from registry.api.auth import site_of
from registry.api.scoping import studies_for
from registry.api.views import AUTHENTICATION_CLASSES
from registry.dashboards.filters import (
    IdFilter,
    InvalidFiltersError,
    KilogramFilter,
    StudyStatsFilter,
    filters_from_params,
)
from registry.models import Modality, Site, StandardExam, Study, visible_sites
from registry.statistics.drl import GROUPINGS, drl_statistics, selection_codes
from registry.statistics.filters import DoseFilters, population_band, registry_scope
from registry.statistics.metrics import METRICS


class DrlQuerySerializer(serializers.Serializer[Any]):
    """The parameters the DRL statistics need beyond the dashboard filters."""

    modality = serializers.ChoiceField(choices=Modality.choices)
    exam = serializers.IntegerField(min_value=1, help_text="Standard exam id.")
    metric = serializers.ChoiceField(
        choices=[(key, metric.label) for key, metric in METRICS.items()],
        help_text="A metric of the registry; it must apply to the modality.",
    )
    group_by = serializers.ChoiceField(
        choices=GROUPINGS, default="site", help_text="One row per site (facility) or per device (room)."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        metric = METRICS[attrs["metric"]]
        if attrs["modality"] not in metric.modalities:
            applies = ", ".join(metric.modalities)
            raise ValidationError(
                {"metric": [f"{metric.key} ({metric.label}) applies to {applies}, not {attrs['modality']}."]}
            )
        return attrs


class DistributionSerializer(serializers.Serializer[Any]):
    """A group's figures in the display unit (read from the GroupRow: `display` and `interval_display`)."""

    median = serializers.FloatField(source="display.median")
    p25 = serializers.FloatField(source="display.p25")
    p75 = serializers.FloatField(source="display.p75")
    mean = serializers.FloatField(source="display.mean")
    min = serializers.FloatField(source="display.minimum")
    max = serializers.FloatField(source="display.maximum")
    median_ci_low = serializers.FloatField(source="interval_display.low", allow_null=True)
    median_ci_high = serializers.FloatField(source="interval_display.high", allow_null=True)


class GroupRowSerializer(serializers.Serializer[Any]):
    """One site (or device): canonical values at the top level, the same in the display unit in `display`."""

    site = serializers.CharField()
    device = serializers.IntegerField(allow_null=True, help_text="Device id (group_by=device), else null.")
    device_name = serializers.CharField(allow_null=True)
    n = serializers.IntegerField(source="values.n")
    median = serializers.FloatField(source="values.median")
    p25 = serializers.FloatField(source="values.p25")
    p75 = serializers.FloatField(source="values.p75")
    mean = serializers.FloatField(source="values.mean")
    min = serializers.FloatField(source="values.minimum")
    max = serializers.FloatField(source="values.maximum")
    median_ci_low = serializers.FloatField(
        source="interval.low",
        allow_null=True,
        help_text="Lower bound of the median's 95 % order-statistic interval; null with too few values.",
    )
    median_ci_high = serializers.FloatField(
        source="interval.high",
        allow_null=True,
        help_text="Upper bound of the median's 95 % order-statistic interval; null with too few values.",
    )
    display = DistributionSerializer(source="*")
    counts_towards_drl = serializers.BooleanField(help_text="n is at least the minimum sample.")
    above_drl = serializers.BooleanField(
        allow_null=True,
        help_text="The median is strictly greater than the registry DRL; null without a registry DRL.",
    )


class PeerSerializer(serializers.Serializer[Any]):
    """Another counting site (or device): its median and n only, never its code or device."""

    n = serializers.IntegerField()
    median = serializers.FloatField()
    median_display = serializers.FloatField()


class RegistryLevelsSerializer(serializers.Serializer[Any]):
    typical = serializers.FloatField(allow_null=True, help_text="Median of the counted groups' medians.")
    drl = serializers.FloatField(allow_null=True, help_text="75th percentile of the counted groups' medians.")
    sites_counted = serializers.IntegerField(help_text="Groups (sites or devices) with n >= minimum_sample.")
    minimum_sites = serializers.IntegerField(
        help_text="Counting groups needed before typical, drl and peers are given (KERMA_REGISTRY_MIN_SITES)."
    )
    reason = serializers.CharField(allow_null=True, help_text="Why typical and drl are null; else null.")
    typical_display = serializers.FloatField(allow_null=True)
    drl_display = serializers.FloatField(allow_null=True)
    drl_ci_low = serializers.FloatField(
        source="drl_interval.low", allow_null=True, help_text="The DRL's 95 % order-statistic interval."
    )
    drl_ci_high = serializers.FloatField(
        source="drl_interval.high", allow_null=True, help_text="Null while too few groups bound it."
    )
    drl_ci_low_display = serializers.FloatField(source="drl_interval_display.low", allow_null=True)
    drl_ci_high_display = serializers.FloatField(source="drl_interval_display.high", allow_null=True)


class PublishedLevelSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    statistic = serializers.CharField(help_text="P75 (a DRL) or P50 (a typical value).")
    role = serializers.ChoiceField(choices=["drl", "typical"])
    issuer = serializers.CharField()
    document = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    region = serializers.CharField()
    patient_group = serializers.CharField()
    value = serializers.FloatField(help_text="In the metric's canonical unit.")
    value_display = serializers.FloatField(help_text="In the metric's display unit.")
    status = serializers.CharField()
    unverified = serializers.BooleanField(
        help_text="Not yet checked against the publication: show it marked."
    )
    site = serializers.CharField(allow_null=True, help_text="Site code of a local level; null if published.")
    version = serializers.IntegerField()


class PopulationSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="An age_band or weight_band key; adult unless one is asked.")
    name = serializers.CharField(source="label", help_text="The band in words.")


class ExamSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    modality = serializers.CharField()


class DrlStatisticsSerializer(serializers.Serializer[Any]):
    modality = serializers.CharField()
    exam = ExamSerializer()
    metric = serializers.CharField(source="metric.key")
    metric_label = serializers.CharField(source="metric.label")
    unit = serializers.CharField(source="metric.unit", help_text="Canonical unit of the values.")
    display_unit = serializers.CharField(source="metric.display_unit")
    group_by = serializers.CharField()
    minimum_sample = serializers.IntegerField()
    population = PopulationSerializer(
        help_text="Whom the statistics describe: the age band asked for, else a paediatric weight band asked "
        "for, else adults (16 and over, with the studies that state no age). Published levels are those "
        "whose patient group holds it."
    )
    no_age = serializers.IntegerField(
        help_text="The caller's studies of the exam that state no age, counted as adults (adult population)."
    )
    sites = GroupRowSerializer(many=True, source="groups")
    registry = RegistryLevelsSerializer()
    peers = PeerSerializer(
        many=True,
        help_text="The other counting groups, anonymous, in random order; empty without a registry DRL.",
    )
    published = PublishedLevelSerializer(many=True)


def _filter_parameters() -> list[OpenApiParameter]:
    """The dashboard filters as documented query parameters, read from the FilterSet (one family)."""
    types: dict[type[Filter], OpenApiTypes] = {
        IdFilter: OpenApiTypes.INT,
        KilogramFilter: OpenApiTypes.NUMBER,
    }
    parameters = []
    for name, filter_ in StudyStatsFilter.base_filters.items():
        if name in DrlQuerySerializer._declared_fields:
            continue
        choices = filter_.extra.get("choices")
        kind = OpenApiTypes.DATE if name.startswith("date_") else types.get(type(filter_), OpenApiTypes.STR)
        parameters.append(
            OpenApiParameter(
                name,
                kind,
                description=filter_.extra.get("help_text", ""),
                enum=[key for key, _ in choices] if choices else None,
            )
        )
    return parameters


def _local_sites(request: Request) -> QuerySet[Site]:
    """Whose local reference levels the caller may see: the token's site, or the person's visible sites."""
    site = site_of(request)
    return Site.objects.filter(pk=site.pk) if site is not None else visible_sites(request.user)


class DrlStatisticsView(APIView):
    authentication_classes = AUTHENTICATION_CLASSES

    @extend_schema(
        operation_id="stats_drl",
        summary="Dose distribution per site or device for one exam and metric, and the registry DRL",
        parameters=[DrlQuerySerializer, *_filter_parameters()],
        responses={200: DrlStatisticsSerializer},
    )
    def get(self, request: Request) -> Response:
        query, filters = _parse(request)
        exam = StandardExam.objects.filter(pk=query["exam"]).first()
        if exam is None:
            raise ValidationError({"exam": [f"No standard exam with id {query['exam']}."]})
        local_sites = _local_sites(request)
        stats = drl_statistics(
            # The exam is drl_statistics' own argument; filtering by it twice would repeat the condition.
            replace(filters, exam=None).apply(studies_for(request)),
            exam=exam,
            metric=METRICS[query["metric"]],
            modality=query["modality"],
            group_by=query["group_by"],
            local_sites=local_sites,
            registry_studies=registry_scope(filters).apply(Study.objects.all()),
            # studies_for's sites are _local_sites: without a device filter its groups are the registry's
            scope_codes=selection_codes(local_sites, filters),
            population=population_band(filters),
        )
        return Response(DrlStatisticsSerializer(stats).data)


def _parse(request: Request) -> tuple[dict[str, Any], DoseFilters]:
    """Both parameter sets, every message at once in one 400."""
    query = DrlQuerySerializer(data=request.query_params)
    errors: dict[str, Any] = {} if query.is_valid() else dict(query.errors)
    try:
        filters = filters_from_params(request.query_params)
    except InvalidFiltersError as invalid:
        errors = {**invalid.errors, **errors}
    if errors:
        raise ValidationError(errors)
    return query.validated_data, filters
