"""Management command that creates or resets the `demo` superuser with a fresh random password."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_USERNAME = "demo"
DEMO_URL = "http://127.0.0.1:8000/"


@transaction.atomic
def demo_user_reset(*, password: str) -> AbstractBaseUser:
    """Make `demo` an active superuser with this password, whatever state an earlier demo left it in."""
    user, _ = get_user_model().objects.get_or_create(username=DEMO_USERNAME)
    user.is_active = user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    return user


class Command(BaseCommand):
    help = "Create or reset the superuser 'demo' with a new random password and print how to sign in."

    def handle(self, *args: Any, **options: Any) -> None:
        # A fresh password each run: a fixed demo password would end up on a reachable server one day.
        password = secrets.token_urlsafe(12)
        demo_user_reset(password=password)
        self.stdout.write(self.style.SUCCESS("Kerma demo is ready. Sign in with:"))
        self.stdout.write(f"  URL:      {DEMO_URL}")
        self.stdout.write(f"  Username: {DEMO_USERNAME}")
        self.stdout.write(f"  Password: {password}")
