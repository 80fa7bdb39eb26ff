"""Sites (hospitals and clinics that send dose reports), their upload tokens and DICOM AE titles."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils import timezone

TOKEN_PREFIX_LENGTH = 8


class SiteType(models.TextChoices):
    HOSPITAL = "hospital", "Hospital"
    CLINIC = "clinic", "Clinic"
    IMAGING_CENTRE = "imaging_centre", "Imaging centre"
    OTHER = "other", "Other"


class Site(models.Model):
    """A facility whose dose reports the registry receives; the unit DRL comparisons are made per."""

    code = models.SlugField(max_length=32, unique=True, help_text="Short stable code, e.g. NORTH-01.")
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code.")
    type = models.CharField(max_length=20, choices=SiteType.choices, default=SiteType.HOSPITAL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.name})"


def hash_token(token: str) -> str:
    """Tokens are stored as SHA-256 digests: a database leak must not let anyone upload as a site."""
    return hashlib.sha256(token.encode()).hexdigest()


class UploadTokenQuerySet(models.QuerySet["UploadToken"]):
    def active(self) -> UploadTokenQuerySet:
        return self.filter(revoked_at__isnull=True)

    def matching(self, token: str) -> UploadTokenQuerySet:
        """The active token with this secret (looked up by its prefix, compared by digest)."""
        return self.active().filter(prefix=token[:TOKEN_PREFIX_LENGTH], digest=hash_token(token))


class UploadToken(models.Model):
    """A site's credential for the REST and STOW-RS endpoints; shown once, stored hashed."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="upload_tokens")
    prefix = models.CharField(max_length=TOKEN_PREFIX_LENGTH, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = UploadTokenQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.site.code} token {self.prefix}…"

    @classmethod
    def issue(cls, site: Site, label: str = "") -> tuple[UploadToken, str]:
        """A new token for the site and its secret, which is never stored and cannot be shown again."""
        secret = secrets.token_urlsafe(32)
        token = cls.objects.create(
            site=site, prefix=secret[:TOKEN_PREFIX_LENGTH], digest=hash_token(secret), label=label
        )
        return token, secret


class AETitle(models.Model):
    """A calling AE title that the DICOM listener accepts, and the site its reports belong to."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="ae_titles")
    ae_title = models.CharField(max_length=16, unique=True)

    class Meta:
        verbose_name = "AE title"

    def __str__(self) -> str:
        return f"{self.ae_title} → {self.site.code}"
