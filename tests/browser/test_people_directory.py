"""A nodal officer finds people of their department and opens a profile."""

import re

import pytest
from playwright.sync_api import expect

from govtrain import testing as t

pytestmark = pytest.mark.browser


def test_officer_searches_by_name_prefix_in_place_and_opens_a_profile(
    page, officer_a, learner_a, office_a, office_b, learner_b, log_in, assert_accessible
) -> None:
    t.make_employee(office_a, name="Anand P.", name_ml="ആനന്ദ് പി.", login=False)
    t.make_employee(office_b, name="Anjali S.", name_ml="അഞ്ജലി എസ്.", login=False)
    log_in(page, officer_a.pen)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    results = page.locator("#results")
    expect(results.locator(".count")).to_have_text("3 employees")
    assert_accessible(page)
    page.evaluate("() => { window.sameDocument = true; }")

    with page.expect_response(
        lambda r: "/people/?" in r.url and r.request.headers.get("hx-request") == "true"
    ) as searched:
        page.get_by_label("Name or PEN").fill("an")

    assert searched.value.ok
    expect(results.locator(".count")).to_have_text("2 employees")
    expect(results.locator("tbody tr td:first-child a")).to_have_text(["Anand P.", "Anitha K."])
    expect(results).not_to_contain_text("Anjali")
    assert page.evaluate("() => window.sameDocument") is True, "the page was reloaded"
    expect(page).to_have_url(re.compile(r"/people/\?q=an"))
    assert_accessible(page)

    results.get_by_role("link", name="Anitha K.").click()

    expect(page).to_have_url(f"/people/{learner_a.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anitha K. / അനിത കെ.")
    service = page.get_by_role("region", name="Service")
    expect(service).to_contain_text(learner_a.pen)
    expect(service).to_contain_text("Revenue")
    assert_accessible(page)
