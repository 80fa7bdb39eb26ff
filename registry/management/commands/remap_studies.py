"""`manage.py remap_studies`: set every study's standard exam again from the active mapping rules."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from registry.mapping.rules import mapping_apply
from registry.models import Site, Study


class Command(BaseCommand):
    help = (
        "Re-map studies from the mapping rules (one UPDATE). Rule changes do this by themselves; run it "
        "after editing exams in the admin, e.g. deactivating one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--site", metavar="CODE", help="only this site's studies")

    def handle(self, *args: Any, **options: Any) -> None:
        studies = None
        if options["site"]:
            site = Site.objects.filter(code=options["site"]).first()
            if site is None:
                raise CommandError(f"unknown site code {options['site']!r}")
            studies = Study.objects.for_site(site)
        mapped = mapping_apply(studies=studies)
        self.stdout.write(f"{mapped} studies re-mapped")
