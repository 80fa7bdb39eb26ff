"""Developer tools that are not part of Kerma: the import-linter contract types `make check` uses."""
