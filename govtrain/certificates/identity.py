"""Who signs: an institute as a did:web identifier, its keys as Multikey verification
methods, and the addresses of its DID document and status lists.

An institute's DID is `did:web:<platform host>:issuers:<provider code>`; by the did:web
method it resolves to https://<host>/issuers/<code>/did.json, which lists every key the
institute has had (active, retired and revoked), so that a stranger can verify an old
certificate without asking anyone.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from django.conf import settings
from django.urls import reverse

from govtrain.certificates.models import IssuerKey, StatusList


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def issuer_did(provider_code: str) -> str:
    host = urlsplit(site_url()).netloc
    # did:web encodes a port's colon (did:web specification, 3.2).
    return f"did:web:{quote(host, safe='')}:issuers:{quote(provider_code, safe='')}"


def provider_code_of(did: str) -> str | None:
    """The provider code of one of this platform's issuer DIDs, else None."""
    prefix = issuer_did("")
    if not did.startswith(prefix):
        return None
    code = did[len(prefix) :]
    return code if code and ":" not in code else None


def verification_method(key: IssuerKey) -> str:
    return f"{issuer_did(key.provider.code)}#{key.fragment}"


def status_list_url(status_list: StatusList) -> str:
    return site_url() + reverse(
        "certificates:status-list", args=[status_list.provider.code, status_list.number]
    )


def verify_url(public_id: str) -> str:
    return site_url() + reverse("certificates:verify", args=[public_id])


def achievement_url(course_code: str) -> str:
    return site_url() + reverse("catalog:course-detail", args=[course_code])
