"""Where package content is served from, and the signed tokens that name what it may serve.

Content runs on another *site* than the platform (docs/scorm.md): the platform's cookies are
host-only, so they never reach the content host, and the same-origin policy keeps content
scripts out of platform pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.http.request import split_domain_port

TOKEN_SALT = "govtrain.scorm.content"  # noqa: S105 - a signing namespace, not a secret
CONTENT_PREFIX = "/scorm-content/"
# The embedded mode's pairs: two names of the loopback interface are two different sites.
LOOPBACK_PAIRS = {"127.0.0.1": "localhost", "localhost": "127.0.0.1", "[::1]": "localhost"}


class ContentOriginUnavailable(ImproperlyConfigured):
    """The platform was reached by a name that has no content twin: set SCORM_CONTENT_ORIGIN."""


def request_origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def configured_content_host() -> str:
    """The content origin's host (with port) when SCORM_CONTENT_ORIGIN is set, else ""."""
    origin: str = settings.SCORM_CONTENT_ORIGIN
    return urlsplit(origin).netloc.lower() if origin else ""


def content_origin_for(request: HttpRequest) -> str:
    """The origin that serves content to a page of the platform at `request`'s origin."""
    if settings.SCORM_CONTENT_ORIGIN:
        return str(settings.SCORM_CONTENT_ORIGIN)
    host = request.get_host()
    name, port = split_domain_port(host)
    twin = LOOPBACK_PAIRS.get(name.lower())
    if twin is None:
        raise ContentOriginUnavailable(
            f"SCORM content needs its own origin: {host} has none. Set SCORM_CONTENT_ORIGIN."
        )
    return f"{request.scheme}://{twin}{':' + port if port else ''}"


@dataclass(frozen=True)
class ContentGrant:
    """What one content token allows: a package's files, for one SCO and attempt."""

    package_id: int
    sco_id: int
    attempt: str
    platform_origin: str
    content_origin: str


def token_make(grant: ContentGrant) -> str:
    payload = {
        "p": grant.package_id,
        "s": grant.sco_id,
        "a": grant.attempt,
        "o": grant.platform_origin,
        "c": grant.content_origin,
    }
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def token_read(token: str) -> ContentGrant | None:
    """The grant a token carries, or None if it is forged, altered or expired."""
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=settings.SCORM_TOKEN_MAX_AGE)
        return ContentGrant(
            package_id=int(payload["p"]),
            sco_id=int(payload["s"]),
            attempt=str(payload["a"]),
            platform_origin=str(payload["o"]),
            content_origin=str(payload["c"]),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
