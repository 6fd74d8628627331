"""The xAPI resources answered before the platform's middleware (docs/xapi.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponseBase, HttpResponseNotFound
from django.middleware.security import SecurityMiddleware
from django.urls import Resolver404, resolve

XAPI_PREFIX = "/xapi/"


class XapiMiddleware:
    """Early in MIDDLEWARE: requests under /xapi/ go straight to the LRS's views, through
    SecurityMiddleware alone (HTTPS redirect, HSTS, nosniff).

    xAPI clients authenticate with HTTP Basic on every request and send JSON, so sessions,
    CSRF, logins, messages, the user's language and the page CSP have nothing to do there;
    together they cost a statement batch a third of a bare request's time.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.xapi = SecurityMiddleware(self.dispatch)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path_info.startswith(XAPI_PREFIX):
            return self.get_response(request)
        try:
            request.get_host()  # ALLOWED_HOSTS, which CommonMiddleware checks elsewhere
        except DisallowedHost:
            return self.get_response(request)  # Django answers the bad host as usual
        # Synchronous: the WSGI server calls the chain, so no awaitable comes back.
        return cast(HttpResponseBase, self.xapi(request))

    def dispatch(self, request: HttpRequest) -> HttpResponseBase:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return HttpResponseNotFound()
        if match.app_name != "lrs":
            return HttpResponseNotFound()
        response: HttpResponseBase = match.func(request, *match.args, **match.kwargs)
        return response
