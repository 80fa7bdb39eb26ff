"""`manage.py add_site CODE --name NAME`: create a site and print its upload token once; rotate, revoke."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_slug
from django.db import transaction

from registry.access.tokens import upload_token_issue, upload_token_rotate, upload_tokens_revoke_active
from registry.models import AETitle, Site, SiteType

# Who the audit trail names for the command's token changes: whoever runs it on the server.
COMMAND_ACTOR = "manage.py add_site"

AE_TITLE_MAX = 16


def ae_title_clean(text: str) -> str:
    """An AE title as DICOM allows it (PS3.5 AE: 16 characters, no backslash or control character)."""
    title = text.strip()  # leading and trailing spaces are not significant in AE
    if (
        not title
        or len(title) > AE_TITLE_MAX
        or "\\" in title
        or not title.isprintable()
        or not title.isascii()
    ):
        raise CommandError(
            f"invalid AE title {text!r}: 1 to {AE_TITLE_MAX} printable ASCII characters, no backslash"
        )
    return title


def _site_values(options: dict[str, Any]) -> dict[str, str]:
    try:
        validate_slug(options["code"])
    except ValidationError as error:
        raise CommandError(f"invalid site code {options['code']!r}: letters, digits, - and _ only") from error
    if not options["name"]:
        raise CommandError("--name is required for a new site")
    country = (options["country"] or "").upper()
    if country and not (len(country) == 2 and country.isalpha() and country.isascii()):
        raise CommandError(f"invalid --country {options['country']!r}: an ISO 3166-1 alpha-2 code, e.g. GB")
    return {"code": options["code"], "name": options["name"], "country": country, "type": options["type"]}


@transaction.atomic
def site_create(*, code: str, name: str, country: str, type: str, ae_titles: list[str]) -> tuple[Site, str]:
    """A new site with its AE titles and first upload token; returns the token's secret (never stored)."""
    taken = AETitle.objects.filter(ae_title__in=ae_titles).select_related("site").first()
    if taken is not None:
        raise CommandError(f"AE title {taken.ae_title!r} already belongs to site {taken.site.code}")
    site = Site.objects.create(code=code, name=name, country=country, type=type)
    AETitle.objects.bulk_create(AETitle(site=site, ae_title=title) for title in ae_titles)
    issued = upload_token_issue(actor=COMMAND_ACTOR, site=site, label="add_site")
    return site, issued.secret


@transaction.atomic
def site_tokens_revoke(*, site: Site, reissue: bool) -> tuple[int, str | None]:
    """Revoke the site's active tokens; with `reissue`, issue a new one and return its secret."""
    if not reissue:
        return upload_tokens_revoke_active(actor=COMMAND_ACTOR, site=site), None
    issued, revoked = upload_token_rotate(actor=COMMAND_ACTOR, site=site, label="add_site --rotate")
    return revoked, issued.secret


class Command(BaseCommand):
    help = (
        "Create a site and print a new upload token (shown once, stored hashed); or rotate/revoke its tokens."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="short stable site code, e.g. NORTH-01")
        parser.add_argument("--name", help="the site's name (required for a new site)")
        parser.add_argument("--country", default="", help="ISO 3166-1 alpha-2 code, e.g. GB")
        parser.add_argument("--type", default=SiteType.HOSPITAL, choices=SiteType.values)
        parser.add_argument(
            "--ae-title",
            action="append",
            default=[],
            dest="ae_titles",
            help="a calling AE title (repeatable)",
        )
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--rotate", action="store_true", help="revoke the active tokens, print a new one")
        action.add_argument("--revoke", action="store_true", help="revoke the active tokens, issue none")
        action.add_argument(
            "--exists-ok", action="store_true", help="do nothing, successfully, if the site exists (scripts)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["code"]
        site = Site.objects.filter(code=code).first()
        if options["rotate"] or options["revoke"]:
            if options["ae_titles"]:
                raise CommandError("--ae-title is for a new site; manage AE titles of a site in the admin")
            if site is None:
                raise CommandError(f"no site with code {code!r}")
            self._revoke(site, reissue=options["rotate"])
        elif site is not None:
            if not options["exists_ok"]:
                raise CommandError(f"site {code!r} exists; use --rotate for a new token")
            self.stdout.write(f"Site {code} exists; nothing changed.")
        else:
            titles = list(dict.fromkeys(ae_title_clean(title) for title in options["ae_titles"]))
            site, secret = site_create(**_site_values(options), ae_titles=titles)
            self.stdout.write(self.style.SUCCESS(f"Created site {site}."))
            self._print_token(secret)

    def _revoke(self, site: Site, *, reissue: bool) -> None:
        revoked, secret = site_tokens_revoke(site=site, reissue=reissue)
        self.stdout.write(f"Revoked {revoked} active token(s) of site {site.code}.")
        if secret is not None:
            self._print_token(secret)

    def _print_token(self, secret: str) -> None:
        self.stdout.write("Upload token (shown only now; Kerma stores only its digest):")
        self.stdout.write(f"  {secret}")
