"""`manage.py check_storage [--fix]`: every stored file has its row, and every row its file.

Ingest keeps two kinds of file under KERMA_STORAGE_DIR: `spool/` (received bytes waiting to be read) and
`reports/` (de-identified copies of stored reports). A submission row points to each. The pipeline is
written so that neither can lose the other (ingest.services, registry.storage), but a volume restored
from an old backup, a file deleted by hand or a crash between a commit and a file removal can still
leave a file without a row (an orphan) or a row without its file (missing). This command lists both;
`--fix` deletes orphans older than `--grace` minutes (younger ones may belong to a request or a worker
that is about to commit). A missing file cannot be made again here: the command names the submissions, and
their senders must send those reports again. Exits 1 while anything is wrong, so a monitor can run it.
Export files (`exports/`) are not ingest's: they have their own jobs and are left alone.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from ingest.models import Submission

FOLDERS = ("spool", "reports")
SHOWN = 20


class Command(BaseCommand):
    help = (
        "List stored files without a submission row, and rows whose file is missing; --fix deletes orphans."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fix", action="store_true", help="delete orphan files older than --grace")
        parser.add_argument(
            "--grace", type=int, default=60, metavar="MINUTES", help="orphans younger than this are kept (60)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        root = Path(settings.MEDIA_ROOT)
        files = self._files(root)
        referenced = self._referenced()
        orphans = sorted(files - set(referenced))
        missing = sorted((name, pk) for name, pk in referenced.items() if name not in files)
        self.stdout.write(
            f"{len(files)} file(s) under {', '.join(FOLDERS)}; {len(referenced)} row reference(s)"
        )
        self._list("orphan file(s): in storage, no row points to them", orphans)
        self._list(
            "missing file(s): a row points to them, storage lacks them",
            [f"{n} (submission {pk})" for n, pk in missing],
        )
        if options["fix"] and orphans:
            orphans = self._delete_old(root, orphans, grace_seconds=options["grace"] * 60)
        if orphans or missing:
            raise CommandError(f"{len(orphans)} orphan file(s) and {len(missing)} missing file(s)")
        self.stdout.write("storage and rows agree")

    def _files(self, root: Path) -> set[str]:
        """Storage names (relative, '/'-separated) of every file in the ingest folders, temporary ones too."""
        found: set[str] = set()
        for folder in FOLDERS:
            base = root / folder
            if base.is_dir():
                paths = base.rglob("*")
                for path in tqdm(
                    paths, desc=f"scanning {folder}/", unit=" files", file=sys.stderr, disable=None
                ):
                    if path.is_file():
                        found.add(path.relative_to(root).as_posix())
        return found

    def _referenced(self) -> dict[str, str]:
        """Every file name a submission row points to, with the submission's id."""
        referenced: dict[str, str] = {}
        rows = Submission.objects.exclude(spool="", stored_file="").values_list("pk", "spool", "stored_file")
        total = rows.count()
        with tqdm(total=total, desc="reading rows", unit=" rows", file=sys.stderr, disable=None) as bar:
            for pk, spool, stored in rows.iterator(chunk_size=5000):
                for name in (spool, stored):
                    if name:
                        referenced[name] = str(pk)
                bar.update()
        return referenced

    def _list(self, title: str, names: list[str]) -> None:
        if not names:
            return
        self.stdout.write(f"{len(names)} {title}:")
        for name in names[:SHOWN]:
            self.stdout.write(f"  {name}")
        if len(names) > SHOWN:
            self.stdout.write(f"  ... and {len(names) - SHOWN} more")

    def _delete_old(self, root: Path, orphans: list[str], *, grace_seconds: int) -> list[str]:
        """Delete the orphans older than the grace period; returns those kept."""
        cutoff = time.time() - grace_seconds
        kept: list[str] = []
        for name in orphans:
            if (root / name).stat().st_mtime > cutoff:
                kept.append(name)
            else:
                default_storage.delete(name)
        self.stdout.write(
            f"deleted {len(orphans) - len(kept)} orphan file(s); kept {len(kept)} younger than the grace"
        )
        return kept
