"""Coordinators upload SCORM packages, see what is in them, and try them out."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govtrain.accounts.access import Perm, access_for
from govtrain.core.http import AuthedRequest
from govtrain.scorm import player, selectors, services
from govtrain.scorm.forms import PackageUploadForm
from govtrain.scorm.runtime import RuntimeDataError, summarise


def _require_manager(request: AuthedRequest) -> None:
    if not access_for(request.user).can(Perm.CATALOG_MANAGE):
        raise Http404


@login_required
def package_list(request: AuthedRequest) -> HttpResponse:
    """The packages of the user's institutes, and the upload form."""
    _require_manager(request)
    access = access_for(request.user)
    form = PackageUploadForm(request.POST or None, request.FILES or None, access=access)
    if request.method == "POST" and form.is_valid():
        try:
            package = services.package_import(
                upload=form.cleaned_data["package"],
                by=request.user,
                provider=form.cleaned_data["provider"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            form.add_error("package", error)
        else:
            messages.success(request, _("“%(title)s” was imported.") % {"title": package.title})
            return redirect("scorm:package-detail", package.pk)
    packages = selectors.packages_visible_to(request.user)
    status = 400 if form.errors else 200
    return render(
        request, "scorm/package_list.html", {"form": form, "packages": packages}, status=status
    )


@login_required
def package_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """What a package holds, and a preview of one SCO that records nothing."""
    _require_manager(request)
    package = selectors.package_get_for(user=request.user, pk=pk)
    scos = list(package.scos.all())
    chosen = next((sco for sco in scos if str(sco.pk) == request.GET.get("sco")), None)
    chosen = chosen or (scos[0] if scos else None)
    player_ctx: dict[str, Any] | None = None
    if chosen is not None:
        employee = getattr(request.user, "employee", None)
        player_ctx = player.player_context(
            request=request,
            sco=chosen,
            attempt="preview",
            commit_url=reverse("scorm:package-preview", args=[package.pk]),
            learner_id=str(employee.pen) if employee else request.user.get_username(),
            learner_name=employee.name_en if employee else request.user.get_username(),
        )
    response = render(
        request,
        "scorm/package_detail.html",
        {"package": package, "scos": scos, "chosen": chosen, "player": player_ctx},
    )
    if player_ctx is not None:
        player.allow_player(response, player_ctx)
    return response


@require_POST
@login_required
def package_preview(request: AuthedRequest, pk: int) -> JsonResponse:
    """A preview's commits: checked and summarised like a learner's, and not stored."""
    _require_manager(request)
    package = selectors.package_get_for(user=request.user, pk=pk)
    try:
        body = json.loads(request.body)
        if not isinstance(body, dict):
            raise ValueError
    except ValueError:
        return JsonResponse({"ok": False, "message": _("The request is not JSON.")}, status=400)
    # The SCO previewed (any of the package's; the player names it): its manifest's pass marks.
    sco = package.scos.filter(identifier=str(body.get("sco", ""))).first() or package.default_sco
    try:
        summary = summarise(
            package.version,
            body.get("cmi"),
            mastery_score=sco.mastery_score if sco else None,
            completion_threshold=sco.completion_threshold if sco else None,
            scaled_passing_score=sco.scaled_passing_score if sco else None,
        )
    except RuntimeDataError as error:
        return JsonResponse({"ok": False, "message": error.messages[0]}, status=400)
    score = (
        _("score %(percent)s %%") % {"percent": round(summary.score_scaled * 100)}
        if summary.score_scaled is not None
        else _("no score")
    )
    return JsonResponse(
        {
            "ok": True,
            "message": _("Preview (nothing is recorded): %(completion)s, %(success)s, %(score)s.")
            % {"completion": summary.completion, "success": summary.success, "score": score},
            "summary": summary.as_dict(),
        }
    )


@require_POST
@login_required
def package_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    """Remove a package no lesson uses (the coordinator uploaded the wrong one)."""
    _require_manager(request)
    package = selectors.package_get_for(user=request.user, pk=pk)
    try:
        services.package_delete(package=package, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("scorm:package-detail", package.pk)
    messages.success(request, _("“%(title)s” was removed.") % {"title": package.title})
    return redirect("scorm:package-list")
