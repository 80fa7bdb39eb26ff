"""Read-only studies API: list with filters, and one study with its reports, events and administrations."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.authentication import BaseAuthentication, SessionAuthentication

from registry.api.auth import SiteTokenAuthentication
from registry.api.filters import StudyFilter
from registry.api.scoping import studies_for
from registry.api.serializers import StudyDetailSerializer, StudySerializer
from registry.models import DoseReport, Study
from registry.models.studies import StudyQuerySet

# Site tokens for machines, sessions for people.
AUTHENTICATION_CLASSES: list[type[BaseAuthentication]] = [SiteTokenAuthentication, SessionAuthentication]


@extend_schema_view(get=extend_schema(operation_id="study_list", summary="Studies the caller may see"))
class StudyListView(generics.ListAPIView[Study]):
    authentication_classes = AUTHENTICATION_CLASSES
    serializer_class = StudySerializer
    filterset_class = StudyFilter

    def get_queryset(self) -> StudyQuerySet:
        return studies_for(self.request).select_related("site", "standard_exam")


@extend_schema_view(
    get=extend_schema(
        operation_id="study_retrieve", summary="One study with its reports, events and administrations"
    )
)
class StudyDetailView(generics.RetrieveAPIView[Study]):
    authentication_classes = AUTHENTICATION_CLASSES
    serializer_class = StudyDetailSerializer

    def get_queryset(self) -> StudyQuerySet:
        return (
            studies_for(self.request)
            .select_related("site", "standard_exam")
            .prefetch_related(
                Prefetch("reports", queryset=DoseReport.objects.select_related("device")),
                "events",
                "administrations",
            )
        )
