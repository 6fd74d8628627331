"""The certificate as a download, the same from the pages and the API (docs/external-courses.md,
"The certificate file"): the caller has checked who asks."""

from __future__ import annotations

from django.http import FileResponse

from govtrain.external.models import Evidence


def evidence_file_response(evidence: Evidence) -> FileResponse:
    """The evidence's file as an attachment, with the type it was checked to be."""
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.download_name,
        content_type=evidence.content_type,
    )
    # Never rendered by the browser as anything but what it was checked to be (and, opened
    # all the same, in a sandbox with nothing allowed), never cached by a shared proxy (it
    # is personal data).
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
