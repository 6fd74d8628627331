"""Keeps the content host and the platform host apart (docs/scorm.md, "Content on its own
origin")."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotFound
from django.urls import Resolver404, resolve

from govtrain.scorm.origins import CONTENT_PREFIX, configured_content_host, host_key

# What the content host serves besides package files: the runtime and the launch script.
CONTENT_STATIC = ("/static/vendor/scorm-again/", "/static/scorm/")


class ContentOriginMiddleware:
    """First in MIDDLEWARE: content URLs are answered here, with no session, CSRF or login.

    With SCORM_CONTENT_ORIGIN set, the content host serves only content URLs and the
    runtime's static files, and the platform host refuses content URLs. In the embedded mode
    both loopback names are platform hosts; a content URL is served only on the origin its
    token names (the view checks), which is never the origin of the page that made it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        content_host = configured_content_host()
        is_content_path = request.path_info.startswith(CONTENT_PREFIX)
        if content_host:
            try:
                # Both sides as Django's host check sees them: "content.example.org." and
                # "content.example.org:443" are the content host too.
                on_content_host = (
                    host_key(request.get_host(), request.scheme or "http") == content_host
                )
            except DisallowedHost:
                return self.get_response(request)  # Django answers the bad host as usual
            if on_content_host:
                if is_content_path:
                    return self.serve(request)
                if request.path_info.startswith(CONTENT_STATIC):
                    return self.get_response(request)
                return HttpResponseNotFound()
            if is_content_path:
                return HttpResponseNotFound()
            return self.get_response(request)
        if is_content_path:
            return self.serve(request)
        return self.get_response(request)

    def serve(self, request: HttpRequest) -> HttpResponseBase:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return HttpResponseNotFound()
        if match.app_name != "scorm" or match.url_name not in {"launch", "file"}:
            return HttpResponseNotFound()
        response: HttpResponse = match.func(request, *match.args, **match.kwargs)
        return response
