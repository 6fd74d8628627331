"""Certificates in a real browser: what the employee downloads and shares, and what a
stranger sees at the shared link — genuine, revoked with its reason, or a tampered file
refused with the reason."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from govtrain import testing as t
from govtrain.catalog.models import Course
from govtrain.certificates.models import Certificate
from govtrain.certificates.services import issuing
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment

pytestmark = pytest.mark.browser


@pytest.fixture
def certificate(learner_a: Employee, coordinator: Employee) -> Certificate:
    provider = t.make_provider("IMG")
    provider.name_en = "Institute of Management in Government"
    provider.name_ml = "ഇൻസ്റ്റിറ്റ്യൂട്ട് ഓഫ് മാനേജ്മെന്റ് ഇൻ ഗവൺമെന്റ്"
    provider.save()
    course = t.make_course(
        "IMG-EOF-OL",
        provider=provider,
        title_en="e-Office for section officers",
        title_ml="സെക്ഷൻ ഓഫീസർമാർക്കുള്ള ഇ-ഓഫീസ്",
        modality=Course.Modality.ONLINE,
        hours=Decimal("8"),
    )
    enrolment = Enrolment.objects.create(
        employee=learner_a,
        course=course,
        status=Enrolment.Status.COMPLETED,
        completed_on="2026-11-20",
        hours_credited=course.hours,
    )
    issuing.certificates_issue(enrolments=[enrolment], by=None)
    return Certificate.objects.get(enrolment=enrolment)


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/login/"))


def test_a_revoked_certificate_and_a_tampered_file_fail_with_their_reasons(
    page: Page,
    certificate: Certificate,
    learner_a: Employee,
    coordinator: Employee,
    log_in: Callable[..., None],
    assert_accessible: Callable[[Page], None],
    shots: Path,
) -> None:
    # Anitha keeps the signed credential file.
    log_in(page, learner_a.pen)
    page.goto(f"/certificates/{certificate.number}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the signed credential (JSON)").click()
    credential = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    log_out(page)

    # A stranger pastes it with one hour more: the signature no longer matches.
    credential["credentialSubject"]["achievement"]["name"] = "Something else entirely"
    page.goto("/verify/")
    page.get_by_label("Paste the credential (JSON)").fill(json.dumps(credential))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Not valid")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("signature")
    assert_accessible(page)

    # The institute revokes it: the shared link now says so, and why.
    log_in(page, coordinator.pen)
    page.goto(f"/certificates/{certificate.number}/")
    page.get_by_label("Reason").fill("Attendance recorded against the wrong PEN.")
    page.get_by_role("button", name="Revoke the certificate").click()
    expect(page.get_by_text("revoked", exact=False).first).to_be_visible()
    log_out(page)
    page.goto(f"/verify/{certificate.public_id}/")
    expect(page.get_by_role("heading", name="Not valid")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text(
        re.compile(r"Revoked on .*: Attendance recorded against the wrong PEN\.")
    )
    assert_accessible(page)
    page.screenshot(path=shots / "certificate-revoked.png", full_page=True)
