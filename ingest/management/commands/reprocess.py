"""`manage.py reprocess [--site CODE] [--since YYYY-MM-DD]`: re-read stored reports with today's reader."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from ingest.models import Submission
from ingest.services_reprocess import reports_reprocess, stored_submissions
from registry.models import Site


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"not a YYYY-MM-DD date: {text!r}") from error


class Command(BaseCommand):
    help = "Re-read every stored (de-identified) report copy and update the registry in place."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--site", help="only this site's reports")
        parser.add_argument("--since", type=_date, help="only reports received on or after this date")

    def handle(self, *args: Any, **options: Any) -> None:
        site = None
        if options["site"]:
            site = Site.objects.filter(code=options["site"]).first()
            if site is None:
                raise CommandError(f"no site with code {options['site']!r}")
        submissions = stored_submissions(site=site, since=options["since"])  # one query, read once
        out = getattr(self.stderr, "_out", sys.stderr)
        with tqdm(total=len(submissions), unit="report", file=out, disable=None) as bar:

            def advance(submission: Submission) -> None:
                bar.update(1)

            summary = reports_reprocess(submissions, progress=advance)
        self.stdout.write(f"Reprocessed {summary.reprocessed} report(s); {len(summary.failed)} failed.")
        for submission, reason in summary.failed:
            self.stdout.write(f"  {submission.site.code} {submission.filename or submission.pk}: {reason}")
