"""What the lesson page needs to play a SCO: the include's context and its CSP allowance."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _

from govtrain.scorm.models import Sco
from govtrain.scorm.origins import (
    ContentGrant,
    ContentOriginUnavailable,
    content_origin_for,
    request_origin,
    token_make,
)
from govtrain.scorm.runtime import RuntimeSummary, initial_cmi


def player_context(
    *,
    request: HttpRequest,
    sco: Sco,
    attempt: str,
    commit_url: str,
    learner_id: str,
    learner_name: str,
    resume: RuntimeSummary | None = None,
    launch: str = "",
) -> dict[str, Any]:
    """The context of `scorm/_player.html` (docs/scorm.md); the caller checks who may play.
    `launch` is the attempt's launch id (the preview, which stores nothing, has none)."""
    package = sco.package
    platform = request_origin(request)
    context: dict[str, Any] = {
        "version": package.version,
        "sco": sco.identifier,
        "attempt": attempt,
        # This page's launch, echoed with each commit: once the lesson is opened again, the
        # attempt has a newer launch and this page's commits are refused.
        "launch": launch,
        "commit_url": commit_url,
        "platform_origin": platform,
        "title": _("Lesson content: %(title)s") % {"title": sco.title},
        "unavailable": "",
    }
    try:
        content = content_origin_for(request)
    except ContentOriginUnavailable:
        context.update(
            content_origin="",
            launch_url="",
            initial={},
            unavailable=_(
                "This lesson cannot be played at this address. Ask the administrator to set "
                "the content origin (SCORM_CONTENT_ORIGIN)."
            ),
        )
        return context
    token = token_make(
        ContentGrant(
            package_id=package.pk,
            sco_id=sco.pk,
            attempt=attempt,
            platform_origin=platform,
            content_origin=content,
        )
    )
    context.update(
        content_origin=content,
        launch_url=content + reverse("scorm:launch", kwargs={"token": token}),
        initial=initial_cmi(
            package.version,
            learner_id=learner_id,
            learner_name=learner_name,
            resume=resume,
            mastery_score=sco.mastery_score,
            completion_threshold=sco.completion_threshold,
            scaled_passing_score=sco.scaled_passing_score,
        ),
    )
    return context


def allow_player(response: HttpResponseBase, context: dict[str, Any]) -> HttpResponseBase:
    """Let the page frame the content origin (its CSP otherwise allows only itself)."""
    origin = context.get("content_origin")
    if origin:
        update: dict[str, list[str]] = dict(getattr(response, "_csp_update", None) or {})
        update["frame-src"] = [*update.get("frame-src", ["'self'"]), origin]
        response._csp_update = update  # type: ignore[attr-defined]  # read by django-csp
    return response
