"""Devices: the X-ray and PET/CT units of a site, recognised again on every report they send."""

from __future__ import annotations

import hashlib

from django.db import models

from registry.models.sites import Site


def device_identity_key(
    *,
    observer_uid: str | None,
    manufacturer: str | None,
    model: str | None,
    serial: str | None,
    station: str | None,
) -> str:
    """A stable key for one unit: its Device Observer UID, else its manufacturer, model, serial and station.

    The fallback is a digest so that keys stay short and comparable whatever the vendor strings look like.
    """
    if observer_uid:
        return f"uid:{observer_uid}"
    parts = "\x1f".join((value or "").strip().lower() for value in (manufacturer, model, serial, station))
    return "attrs:" + hashlib.sha256(parts.encode()).hexdigest()[:40]


class Device(models.Model):
    """One irradiating unit; physicists may rename it (display name) without losing its identity."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="devices")
    identity_key = models.CharField(max_length=100)
    device_observer_uid = models.CharField(max_length=64, blank=True)
    manufacturer = models.CharField(max_length=100, blank=True)
    model_name = models.CharField(max_length=100, blank=True)
    serial_number = models.CharField(max_length=100, blank=True)
    station_name = models.CharField(max_length=100, blank=True)
    institution_name = models.CharField(max_length=200, blank=True)
    software_versions = models.CharField(max_length=200, blank=True)
    display_name = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "identity_key"], name="device_unique_per_site")
        ]
        ordering = ["site", "display_name"]

    def __str__(self) -> str:
        return (
            self.display_name
            or " ".join(filter(None, [self.manufacturer, self.model_name]))
            or self.identity_key
        )
