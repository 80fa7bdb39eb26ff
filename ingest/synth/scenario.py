"""Draw N study specs for K sites over a date range from one seeded `random.Random`: same seed, same data."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from ingest.synth.draw_ct import DrawContext, draw_ct
from ingest.synth.draw_projection import draw_dx, draw_mg, draw_rf
from ingest.synth.fleet import HIGH_DOSE_FACTOR, Installed, Site, build_fleet
from ingest.synth.spec import CtReportSpec, Modality, PatientSpec, ProjectionReportSpec, Sex, StudySpec, sig6
from ingest.synth.typical import CT_EXAMS, DX_EXAMS, MG_EXAMS, RF_EXAMS
from ingest.synth.uids import derived_digits, derived_uid

DEFAULT_MIX: Mapping[Modality, float] = {"CT": 0.50, "DX": 0.25, "RF": 0.15, "MG": 0.10}
REPEAT_PATIENT_SHARE = 0.15


def _two_years_ago() -> dt.date:
    return dt.date.today() - dt.timedelta(days=730)


@dataclass(frozen=True)
class ScenarioConfig:
    """What to generate. Dates are inclusive; `high_dose_site` indexes the sites (-1 the last, None none)."""

    studies: int
    sites: int = 3
    seed: int = 0
    date_from: dt.date = field(default_factory=_two_years_ago)
    date_to: dt.date = field(default_factory=dt.date.today)
    mix: Mapping[Modality, float] = field(default_factory=lambda: dict(DEFAULT_MIX))
    high_dose_site: int | None = -1
    high_dose_factor: float = HIGH_DOSE_FACTOR

    def __post_init__(self) -> None:
        """Fail at once on impossible settings, not halfway through writing files."""
        if self.studies < 0 or self.sites < 1:
            raise ValueError("studies must be >= 0 and sites >= 1")
        if self.date_to < self.date_from:
            raise ValueError(f"date_to {self.date_to} is before date_from {self.date_from}")
        if self.high_dose_site is not None and not -self.sites <= self.high_dose_site < self.sites:
            raise ValueError(f"high_dose_site {self.high_dose_site} is not one of the {self.sites} sites")
        if not self.mix or min(self.mix.values()) < 0 or sum(self.mix.values()) <= 0:
            raise ValueError("mix needs at least one modality with a positive weight")


def mix_for(modalities: Iterable[str]) -> dict[Modality, float]:
    """The default mix restricted to `modalities` (weights renormalise implicitly when drawn)."""
    wanted = set(modalities)
    if not wanted or wanted - set(DEFAULT_MIX):
        raise ValueError(
            f"modalities must be among {', '.join(DEFAULT_MIX)}; got {', '.join(sorted(wanted))}"
        )
    return {m: weight for m, weight in DEFAULT_MIX.items() if m in wanted}


def draw_studies(config: ScenarioConfig) -> Iterator[StudySpec]:
    """Yield `config.studies` specs lazily (constant memory for load tests), in a reproducible order."""
    rng = random.Random(config.seed)  # noqa: S311 - synthetic demo data, reproducibility is the point
    fleet = build_fleet(config.sites, config.high_dose_site, config.high_dose_factor)
    patients = _Patients(rng, config.seed)
    modalities, weights = list(config.mix), list(config.mix.values())
    days = (config.date_to - config.date_from).days + 1
    for number in range(config.studies):
        modality = rng.choices(modalities, weights)[0]
        site = rng.choice(fleet)
        installed = rng.choice(site.devices[modality])
        start = dt.datetime.combine(config.date_from + dt.timedelta(days=rng.randrange(days)), dt.time(7, 30))
        start += dt.timedelta(minutes=rng.randrange(11 * 60), seconds=rng.randrange(60))
        patient = patients.draw(start.date(), female=modality == "MG")
        yield _study(rng, config.seed, number, modality, site, installed, patient, start)


def _study(
    rng: random.Random,
    seed: int,
    number: int,
    modality: Modality,
    site: Site,
    installed: Installed,
    patient: PatientSpec,
    start: dt.datetime,
) -> StudySpec:
    """One study: identifiers derived from (seed, number), content drawn for the modality's exam."""
    ctx = DrawContext(
        rng, site.spec.dose_factor, start, lambda index: derived_uid(seed, number, "event", index)
    )
    description, report = _draw_report(ctx, modality, site.style, installed)
    return StudySpec(
        study_uid=derived_uid(seed, number, "study"),
        series_uid=derived_uid(seed, number, "series"),
        sop_uid=derived_uid(seed, number, "sop"),
        accession_number="A" + derived_digits(12, seed, number, "accession"),
        study_datetime=start,
        description=description,
        modality=modality,
        site=site.spec,
        device=installed.device,
        patient=patient,
        report=report,
        variant=installed.model.variant,
    )


def _draw_report(
    ctx: DrawContext, modality: Modality, style: int, installed: Installed
) -> tuple[str, CtReportSpec | ProjectionReportSpec]:
    """Pick an exam of the modality and draw its content; the site's style picks the free-text name."""
    model = installed.model
    if modality == "CT":
        ct = ctx.rng.choice(CT_EXAMS)
        name = ct.names[style % len(ct.names)]
        return name, draw_ct(ctx, ct, name, model.localizer_name, model.dual_source)
    if modality == "DX":
        dx = ctx.rng.choice(DX_EXAMS)
        name = dx.names[style % len(dx.names)]
        return name, draw_dx(ctx, dx, name)
    if modality == "RF":
        rf = ctx.rng.choice(RF_EXAMS)
        name = rf.names[style % len(rf.names)]
        return name, draw_rf(ctx, rf, name, biplane=model.biplane and rf.cine)
    mg = ctx.rng.choice(MG_EXAMS)
    name = mg.names[style % len(mg.names)]
    return name, draw_mg(ctx, mg, name, model)


class _Patients:
    """Synthetic patients, numbered in order of first visit; some come back for another study."""

    def __init__(self, rng: random.Random, seed: int) -> None:
        self._rng, self._seed = rng, seed
        self._seen: list[PatientSpec] = []

    def draw(self, on: dt.date, *, female: bool) -> PatientSpec:
        """A returning patient (if one fits: born before `on`, female for mammography) or a new one."""
        if self._seen and self._rng.random() < REPEAT_PATIENT_SHARE:
            known = self._rng.choice(self._seen)
            if known.birth_date < on and (known.sex == "F" or not female):
                return known
        patient = self._new(on, female)
        self._seen.append(patient)
        return patient

    def _new(self, on: dt.date, female: bool) -> PatientSpec:
        rng = self._rng
        sex: Sex = "F" if female or rng.random() < 0.5 else "M"
        age_days = rng.randint(40 * 365, 75 * 365) if female else rng.randint(18 * 365, 90 * 365)
        height = rng.gauss(1.64 if sex == "F" else 1.77, 0.07)
        weight = min(120.0, max(45.0, rng.gauss(24.5 * height * height, 9.0)))
        number = len(self._seen) + 1
        return PatientSpec(
            patient_id=f"SYN{self._seed}-{number:06d}",
            name=f"SYNTHETIC^PATIENT{number:06d}",
            birth_date=on - dt.timedelta(days=age_days),
            sex=sex,
            weight_kg=sig6(round(weight, 1)),
            height_m=sig6(round(min(1.98, max(1.48, height)), 2)),
        )
