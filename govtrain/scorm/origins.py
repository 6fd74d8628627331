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


DEFAULT_PORTS = {"http": "80", "https": "443"}


def host_key(host: str, scheme: str) -> str:
    """A host as Django's host check sees it: lower case, without a trailing dot, and
    without the scheme's default port ("Content.Example.org.:443" over https is
    "content.example.org"). "" for a host that is not one."""
    domain, port = split_domain_port(host)
    if not domain:
        return ""
    if port == DEFAULT_PORTS.get(scheme.lower()):
        port = ""
    return f"{domain}:{port}" if port else domain


def origin_key(origin: str) -> str:
    """An origin as browsers write it ("https://Content.example.org:443" is
    "https://content.example.org"); the text as given if it is not an origin."""
    parts = urlsplit(origin)
    host = host_key(parts.netloc, parts.scheme)
    return f"{parts.scheme.lower()}://{host}" if parts.scheme and host else origin


def configured_content_host() -> str:
    """The content origin's host (with a port other than its scheme's default) when
    SCORM_CONTENT_ORIGIN is set, else "". Compare it with `host_key` of a request's host."""
    origin: str = settings.SCORM_CONTENT_ORIGIN
    if not origin:
        return ""
    parts = urlsplit(origin)
    return host_key(parts.netloc, parts.scheme) or parts.netloc.lower()


def content_origin_for(request: HttpRequest) -> str:
    """The origin that serves content to a page of the platform at `request`'s origin."""
    if settings.SCORM_CONTENT_ORIGIN:
        # As the browser will name it in postMessage events and the content's own requests.
        return origin_key(str(settings.SCORM_CONTENT_ORIGIN))
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
