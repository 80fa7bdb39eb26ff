#!/usr/bin/env python
"""Django's command-line entry point for Kerma."""

import os
import sys


def main() -> None:
    """Run a management command with Kerma's settings unless another settings module is chosen."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
