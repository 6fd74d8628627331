from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from govtrain.core.http import AuthedRequest
from govtrain.core.selectors import dashboard_for


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    return render(request, "core/home.html", {"board": dashboard_for(user=request.user)})


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
