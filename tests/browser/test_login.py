"""A learner logs in with their PEN and lands on their own dashboard."""

import pytest
from playwright.sync_api import expect

from govtrain.testing import PASSWORD

pytestmark = pytest.mark.browser


def test_learner_logs_in_with_pen_and_password_and_sees_their_training_record(
    page, learner_a, assert_accessible, shots
) -> None:
    page.goto("/")
    expect(page).to_have_url("/login/?next=/")
    assert_accessible(page)

    page.get_by_label("PEN or username").fill(learner_a.pen)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Anitha K.")
    expect(page.get_by_role("heading", name="Your training record")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("My profile")
    page.screenshot(path=shots / "dashboard-learner.png", full_page=True)
    assert_accessible(page)


def test_wrong_password_shows_the_error_and_stays_on_the_login_page(
    page, learner_a, assert_accessible
) -> None:
    page.goto("/login/")

    page.get_by_label("PEN or username").fill(learner_a.pen)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("alert")).to_contain_text("The PEN or password is not right.")
    expect(page).to_have_url("/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page.get_by_label("PEN or username")).to_have_value(learner_a.pen)
    assert_accessible(page)
