"""The content origin's two pages: the launch page that holds the SCORM API, and package files.

Both are reached only through ContentOriginMiddleware, so no session, CSRF or login
machinery runs: the signed token in the path names what may be served, for how long, and to
which framing platform page.
"""

from __future__ import annotations

import mimetypes
import posixpath

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from govtrain.scorm.models import Package, Sco
from govtrain.scorm.origins import ContentGrant, origin_key, request_origin, token_read

# Types SCORM content relies on whatever the host's mime database says (it is often thin).
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".xsd": "application/xml",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".mp3": "audio/mpeg",
    ".ogg": "audio/ogg",
    ".wav": "audio/wav",
    ".vtt": "text/vtt; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".pdf": "application/pdf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".swf": "application/octet-stream",  # never run a plug-in
}


def _grant_for(request: HttpRequest, token: str) -> ContentGrant:
    """The token's grant, if it is valid and this request is on the origin it names."""
    grant = token_read(token)
    # On any other origin (the platform's own among them) a content URL does not exist.
    if grant is None or origin_key(grant.content_origin) != origin_key(request_origin(request)):
        raise Http404
    return grant


def _content_headers(request: HttpRequest, response: HttpResponse | FileResponse) -> None:
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, max-age=3600"
    # SecurityMiddleware does not run for content (see ContentOriginMiddleware).
    if settings.SECURE_HSTS_SECONDS and request.is_secure():
        response["Strict-Transport-Security"] = f"max-age={settings.SECURE_HSTS_SECONDS}"


def _content_policy(grant: ContentGrant) -> str:
    # Packages are authored with inline scripts, eval and data: URLs; what keeps them in
    # check is the origin they run on, and that they may reach nothing outside it.
    return (
        "default-src 'self' data: blob: 'unsafe-inline' 'unsafe-eval'; "
        "form-action 'self'; base-uri 'self'; object-src 'none'; "
        f"frame-ancestors 'self' {grant.platform_origin}"
    )


@require_safe
def launch(request: HttpRequest, token: str) -> HttpResponse:
    """The page the platform frames: it defines the SCORM API and frames the SCO."""
    grant = _grant_for(request, token)
    sco = (
        Sco.objects.select_related("package")
        .filter(pk=grant.sco_id, package_id=grant.package_id)
        .first()
    )
    if sco is None:
        raise Http404
    # The manifest's href is already a URL (escaped, with its parameters): append it as is.
    sco_url = reverse("scorm:file", kwargs={"token": token, "path": "-"})[:-1] + sco.href
    response = render(
        request,
        "scorm/launch.html",
        {
            "config": {
                "version": sco.package.version,
                "platformOrigin": grant.platform_origin,
                "scoUrl": sco_url,
            },
            "sco_title": sco.title,
            "loading": _("Loading the lesson…"),
        },
    )
    _content_headers(request, response)
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "frame-src 'self'; base-uri 'none'; form-action 'none'; "
        f"frame-ancestors {grant.platform_origin}"
    )
    return response


@require_safe
def content_file(request: HttpRequest, token: str, path: str) -> FileResponse:
    """One file of the package the token names."""
    grant = _grant_for(request, token)
    clean = posixpath.normpath(path)
    if (
        "\\" in path
        or "\x00" in path
        or clean.startswith(("/", "../"))
        or clean in {".", ".."}
        or clean != path.rstrip("/")
    ):
        raise Http404
    prefix = (
        Package.objects.filter(pk=grant.package_id).values_list("storage_prefix", flat=True).first()
    )
    if prefix is None:
        raise Http404
    name = f"{prefix}/{clean}"
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    extension = posixpath.splitext(clean)[1].lower()
    content_type = CONTENT_TYPES.get(extension) or (
        mimetypes.guess_type(clean)[0] or "application/octet-stream"
    )
    response = FileResponse(handle, content_type=content_type)
    _content_headers(request, response)
    response["Content-Security-Policy"] = _content_policy(grant)
    return response
