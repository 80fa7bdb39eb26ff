"""The synthetic sites and their equipment: fixed by the site count alone, so every seed sees one fleet."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.synth.spec import DeviceSpec, Modality, SiteSpec
from ingest.synth.typical import CATALOGUE, SITE_NAMES, Model
from ingest.synth.uids import derived_digits, derived_uid

MODALITIES: tuple[Modality, ...] = ("CT", "DX", "RF", "MG")
HIGH_DOSE_FACTOR = 1.6


@dataclass(frozen=True)
class Installed:
    """A device at a site together with the catalogue model it was built from."""

    device: DeviceSpec
    model: Model


@dataclass(frozen=True)
class Site:
    """A site, its exam-name style (index into each exam's names) and its devices per modality."""

    spec: SiteSpec
    style: int
    devices: dict[Modality, tuple[Installed, ...]]


def build_fleet(
    count: int, high_dose_site: int | None = -1, high_dose_factor: float = HIGH_DOSE_FACTOR
) -> tuple[Site, ...]:
    """`count` sites; `high_dose_site` (index, default the last; None for none) doses x `high_dose_factor`.

    The other sites get small fixed factors around 1, so their medians differ a little as real sites do.
    """
    if count < 1:
        raise ValueError("at least one site is needed")
    high = None if high_dose_site is None else range(count)[high_dose_site]
    sites = []
    for index in range(count):
        factor = high_dose_factor if index == high else (0.9, 1.0, 1.1, 0.95, 1.05)[index % 5]
        code = f"S{index + 1:02d}"
        suffix = "" if index < len(SITE_NAMES) else f" {index // len(SITE_NAMES) + 1}"
        spec = SiteSpec(code, SITE_NAMES[index % len(SITE_NAMES)] + suffix, factor)
        devices = {modality: _devices(spec, index, modality) for modality in MODALITIES}
        sites.append(Site(spec, index, devices))
    return tuple(sites)


def _devices(site: SiteSpec, index: int, modality: Modality) -> tuple[Installed, ...]:
    """One or two units per modality, rotating through the catalogue so sites differ in vendors."""
    models = CATALOGUE[modality]
    count = 2 if modality in ("CT", "DX") and index % 2 == 0 else 1
    return tuple(_device(site, models[(index + n) % len(models)], modality, n) for n in range(count))


def _device(site: SiteSpec, model: Model, modality: Modality, number: int) -> Installed:
    """A device whose Device Observer UID and serial derive from where it stands, not from the seed."""
    station = f"{site.code}{modality}{number + 1:02d}"
    device = DeviceSpec(
        modality=modality,
        observer_uid=derived_uid("device", site.code, modality, number),
        manufacturer=model.manufacturer,
        model_name=model.model_name,
        serial_number=derived_digits(8, "serial", site.code, modality, number),
        station_name=station,
        software_versions=model.software_versions,
        dual_source=model.dual_source,
        biplane=model.biplane,
    )
    return Installed(device, model)
