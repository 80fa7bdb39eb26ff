"""REST submissions: POST a dose report (or a ZIP of them) and follow each submission's state by its URL."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from ingest.api.body import PayloadTooLarge, refuse_declared_oversize
from ingest.models import Channel, Submission
from ingest.services import Upload, UploadTooLargeError, check_size, uploads_receive
from registry.api.auth import SiteTokenAuthentication, site_of
from registry.models import Site, Study, visible_sites
from registry.models.access import UPLOAD_ROLES


class SubmissionSerializer(serializers.ModelSerializer[Submission]):
    """A submission as its sender follows it: state, error kind and message, and the study once stored."""

    site: serializers.SlugRelatedField[Site] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    study: serializers.PrimaryKeyRelatedField[Study] = serializers.PrimaryKeyRelatedField(read_only=True)
    status_url = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = [
            "id",
            "status_url",
            "site",
            "channel",
            "state",
            "filename",
            "size_bytes",
            "sha256",
            "received_at",
            "finished_at",
            "error_kind",
            "error_message",
            "sop_instance_uid",
            "outcome",
            "study",
        ]
        read_only_fields = fields

    def get_status_url(self, submission: Submission) -> str:
        return status_url(submission, self.context.get("request"))


def status_url(submission: Submission, request: Request | None) -> str:
    return reverse("api-submission-detail", kwargs={"pk": submission.pk}, request=request)


def upload_site(request: Request, code: str | None) -> Site:
    """The site an upload is for: the token's own, or one where the session user may upload."""
    token_site = site_of(request)
    if token_site is not None:
        if code and code != token_site.code:
            raise ValidationError({"site": f"this upload token is for site {token_site.code}, not {code}"})
        return token_site
    if not code:
        raise ValidationError({"site": "name the site to upload for (its code)"})
    site = visible_sites(request.user, UPLOAD_ROLES).filter(code=code).first()
    if site is None:
        raise PermissionDenied(f"you may not upload for site {code}")
    return site


def _receive(site: Site, upload: UploadedFile, user: User | AnonymousUser) -> list[Submission]:
    """One submission per file of the upload (each ZIP member), all or none; 413 before anything is stored."""
    try:
        check_size(upload.size or 0)  # before the file is read
    except UploadTooLargeError as error:
        raise PayloadTooLarge.of(error) from error
    received = uploads_receive(
        site=site, uploads=[Upload(upload.name or "upload", upload.read())], channel=Channel.API, user=user
    )
    if received.refused:  # an archive whose members are over the limits
        raise PayloadTooLarge.of(received.refused[0][1])
    return received.submissions


def submissions_for(request: Request) -> QuerySet[Submission]:
    """Token requests see their site's submissions, session users those of the sites they may see."""
    token_site = site_of(request)
    if token_site is not None:
        return Submission.objects.for_site(token_site)
    return Submission.objects.for_user(request.user)


class SubmissionCreateView(APIView):
    authentication_classes = [SiteTokenAuthentication, SessionAuthentication]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="submission_create",
        summary="Submit a dose report or a ZIP of dose reports",
        description=(
            "Answers at once (202); the file is read later. A ZIP is expanded into one submission per "
            "member. Site token: `Authorization: Token <secret>`; a signed-in uploader names the site."
        ),
        request={
            "multipart/form-data": inline_serializer(
                "SubmissionUpload",
                {"file": serializers.FileField(), "site": serializers.CharField(required=False)},
            )
        },
        responses={
            202: inline_serializer("SubmissionsAccepted", {"submissions": SubmissionSerializer(many=True)}),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="No `file` field, or a bad site."),
            401: OpenApiResponse(OpenApiTypes.OBJECT, description="Missing, invalid or revoked token."),
            403: OpenApiResponse(OpenApiTypes.OBJECT, description="No upload role at that site."),
            413: OpenApiResponse(OpenApiTypes.OBJECT, description="Beyond KERMA_MAX_UPLOAD_BYTES."),
            503: OpenApiResponse(
                OpenApiTypes.OBJECT, description="Database unavailable or storage not writable; Retry-After."
            ),
            507: OpenApiResponse(OpenApiTypes.OBJECT, description="Storage full; Retry-After."),
        },
    )
    def post(self, request: Request) -> Response:
        refuse_declared_oversize(request)
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": "send the dose report in the multipart field `file`"})
        site = upload_site(request, request.POST.get("site"))
        submissions = _receive(site, upload, request.user)
        if not submissions:
            raise ValidationError({"file": "the ZIP archive holds no files"})
        body = SubmissionSerializer(submissions, many=True, context={"request": request}).data
        headers = {"Location": status_url(submissions[0], request)} if len(submissions) == 1 else {}
        return Response({"submissions": body}, status=status.HTTP_202_ACCEPTED, headers=headers)


class SubmissionDetailView(APIView):
    authentication_classes = [SiteTokenAuthentication, SessionAuthentication]

    @extend_schema(
        operation_id="submission_retrieve",
        summary="The state of one submission",
        responses={200: SubmissionSerializer, 401: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, pk: str) -> Response:
        submission = get_object_or_404(submissions_for(request).select_related("site"), pk=pk)
        return Response(SubmissionSerializer(submission, context={"request": request}).data)
