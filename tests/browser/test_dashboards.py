"""Each role lands on its own dashboard, scoped to what it may see."""

import pytest
from playwright.sync_api import expect

from govtrain import testing as t

pytestmark = pytest.mark.browser


def test_state_administrator_sees_the_organisation_totals(
    page, admin, learner_a, learner_b, officer_a, log_in, assert_accessible, shots
) -> None:
    log_in(page, "stateadmin")

    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, stateadmin")
    organisation = page.get_by_role("region", name="The organisation")
    expect(organisation.locator("dt")).to_have_text(
        ["Districts", "Local bodies", "Departments", "Offices"]
    )
    expect(organisation.locator("dd")).to_have_text(["1", "0", "2", "2"])
    people = page.get_by_role("region", name="People you look after")
    expect(people.locator(".figure")).to_have_text("3")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Imports")
    page.screenshot(path=shots / "dashboard-admin.png", full_page=True)
    assert_accessible(page)


def test_nodal_officer_looks_after_their_own_department_only(
    page, officer_a, learner_a, office_a, learner_b, officer_b, log_in, assert_accessible, shots
) -> None:
    t.make_employee(office_a, name="Deepa R.", login=False)

    log_in(page, officer_a.pen)

    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Rajesh M.")
    people = page.get_by_role("region", name="People you look after")
    expect(people.locator(".figure")).to_have_text("3")  # Rajesh, Anitha, Deepa; not B's two
    expect(people.locator("tbody td")).to_have_text(["Group C", "3"])
    expect(page.get_by_role("region", name="Your roles")).to_contain_text(
        "Controlling / nodal officer: Revenue"
    )
    expect(page.get_by_role("region", name="The organisation")).to_have_count(0)
    page.screenshot(path=shots / "dashboard-officer.png", full_page=True)
    assert_accessible(page)


def test_learner_sees_their_record_and_nothing_of_the_organisation(
    page, learner_a, officer_a, learner_b, log_in, assert_accessible
) -> None:
    log_in(page, learner_a.pen)

    expect(page.get_by_role("heading", name="Your training record")).to_be_visible()
    expect(page.get_by_role("region", name="Your training record")).to_contain_text(
        "Office REV-TVM"
    )
    expect(page.get_by_role("region", name="People you look after")).to_have_count(0)
    expect(page.get_by_role("region", name="The organisation")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Main")).not_to_contain_text("People")
    assert_accessible(page)
