"""Studies counted per site, month, modalities and standard exam: the workload chart's numbers, kept current.

Why a table: the workload chart counts every study of a modality, and at a national registry's size a
GROUP BY over a million studies costs most of a second on each view, while the counts only change when a
study is stored, re-mapped or deleted. registry.statistics.workload keeps this table equal to that GROUP BY
in the same transactions that change the studies (docs/performance.md has the figures).
"""

from __future__ import annotations

from django.db import models

from registry.models.sites import Site

UNMAPPED = 0  # exam_key of studies no mapping rule matches (a key column never holds NULL: see below)


class MonthlyWorkload(models.Model):
    """How many studies of one site, calendar month, modality set and standard exam there are.

    `exam_key` is the standard exam's id, or UNMAPPED: a unique key with a NULL in it would not make two
    unmapped rows collide (NULLs are distinct in SQL), and the upsert that counts a study relies on that
    collision. `modalities` is the study's own comma-separated list, so a PET/CT study is counted once and
    still found by either modality, as the studies filter finds it.
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="First day of the study month.")
    modalities = models.CharField(max_length=20)
    exam_key = models.PositiveIntegerField(help_text="Standard exam id; 0 for unmapped studies.")
    studies = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["site", "month", "modalities", "exam_key"], name="monthly_workload_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site_id} {self.month:%Y-%m} {self.modalities} exam {self.exam_key}: {self.studies}"
