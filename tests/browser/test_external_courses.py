"""An external course's certificate in a real browser: Anitha uploads the certificate of
a university's MOOC, the university's coordinator rejects it in the queue (in place, with
htmx) with a reason, Anitha uploads a better scan, the coordinator verifies it, and the
thirty hours are on Anitha's training record."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from govtrain import testing as t
from govtrain.accounts.models import Role
from govtrain.catalog.models import Course, Provider
from govtrain.organisation.models import Office
from govtrain.people.models import Employee

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02" + b"\0" * 40


@pytest.fixture
def mooc(db: None) -> Course:
    university = Provider.objects.create(
        code="UNIX", name_en="A University's Online Programme", kind=Provider.Kind.UNIVERSITY
    )
    return t.make_course(
        "UNIX-PP101",
        provider=university,
        title_en="Public Policy Analysis",
        modality=Course.Modality.EXTERNAL,
        hours=Decimal("30"),
        fee=Decimal("100"),
        fee_currency=Course.Currency.USD,
        languages=["en"],
    )


@pytest.fixture
def verifier(office_b: Office, mooc: Course) -> Employee:
    employee = t.make_employee(office_b, name="Lekha N.")
    assert employee.user is not None
    t.grant(employee.user, Role.COORDINATOR, provider=mooc.provider)
    return employee


def switch_user(page: Page, log_in: Callable[..., None], employee: Employee) -> None:
    logout = page.get_by_role("button", name="Log out")
    if logout.count():
        logout.click()
        page.wait_for_url(re.compile(r"/login/"))
    log_in(page, employee.pen)


def upload(page: Page, mooc: Course, name: str, mime: str, content: bytes) -> None:
    page.goto(f"/external-courses/{mooc.code}/evidence/")
    page.locator("#id_file").set_input_files({"name": name, "mimeType": mime, "buffer": content})
    page.get_by_label("Completed on").fill("2026-10-30")
    page.get_by_role("button", name="Send for verification").click()


def test_a_certificate_is_rejected_resubmitted_and_verified(
    page: Page,
    learner_a: Employee,
    verifier: Employee,
    mooc: Course,
    log_in: Callable[..., None],
    assert_accessible: Callable[[Page], None],
    shots: Path,
) -> None:
    log_in(page, learner_a.pen)
    page.goto(f"/external-courses/{mooc.code}/evidence/")
    assert_accessible(page)
    upload(page, mooc, "certificate.pdf", "application/pdf", b"GIF89a not a certificate")
    expect(page.get_by_role("alert")).to_contain_text("PDF, PNG or JPEG")
    assert_accessible(page)
    page.screenshot(path=shots / "external-01-upload-refused.png", full_page=True)
    upload(page, mooc, "certificate.pdf", "application/pdf", PDF)
    expect(page.get_by_role("heading", level=1)).to_have_text("Public Policy Analysis")
    expect(page.locator(".facts")).to_contain_text("Awaiting verification")
    assert_accessible(page)

    switch_user(page, log_in, verifier)
    page.goto("/evidence/queue/")
    assert_accessible(page)
    page.screenshot(path=shots / "external-02-queue.png", full_page=True)
    row = page.locator("tbody tr", has_text="Anitha K.")
    page.evaluate("() => { window.sameDocument = true; }")
    row.get_by_label("Reason").fill("The certificate shows no name.")
    row.get_by_role("button", name=re.compile("^Reject")).click()
    expect(row).to_contain_text("Rejected")
    expect(row).to_contain_text("The certificate shows no name.")
    assert page.evaluate("() => window.sameDocument") is True, "the page was reloaded"
    page.screenshot(path=shots / "external-03-rejected-in-place.png", full_page=True)

    switch_user(page, log_in, learner_a)
    page.goto("/evidence/")
    expect(page.locator("tbody")).to_contain_text("The certificate shows no name.")
    assert_accessible(page)
    upload(page, mooc, "scan.png", "image/png", PNG)
    expect(page.locator("table")).to_contain_text("The certificate shows no name.")

    switch_user(page, log_in, verifier)
    page.goto("/evidence/queue/")
    page.get_by_role("link", name="Anitha K.", exact=True).click()
    expect(page.locator(".facts")).to_contain_text("PNG")
    assert_accessible(page)
    page.screenshot(path=shots / "external-04-second-submission.png", full_page=True)
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".facts")).to_contain_text("Verified")

    switch_user(page, log_in, learner_a)
    page.goto("/records/mine/")
    expect(page.locator("main")).to_contain_text("Public Policy Analysis")
    expect(page.locator("main")).to_contain_text("30")
    assert_accessible(page)
