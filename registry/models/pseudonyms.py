"""Keyed pseudonyms of identifiers: the one function ingest de-identifies with and the registry compares with.

Ingest turns each patient ID into this pseudonym before anything is stored (ingest.deid), and the quality
feature turns a site's QA patient IDs into the same pseudonym, so the two meet without a raw ID being kept.
It lives here, once, because the registry may not import ingest and both must compute the same value.
"""

from __future__ import annotations

import hashlib
import hmac


def pseudonym(key: str, site_code: str, kind: str, value: str | None) -> str:
    """The keyed pseudonym of one identifier (HMAC-SHA256, scoped to site and kind); empty stays empty.

    Scoped to the site because patient IDs are unique only per issuing hospital, and to the kind so that a
    patient ID and an accession number that happen to be equal do not share a pseudonym.
    """
    if not value:
        return ""
    message = f"{kind}\x1f{site_code}\x1f{value.strip()}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()
