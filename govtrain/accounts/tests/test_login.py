"""Logging in, lockout, first-time activation by e-mail, language, security headers."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from govtrain import testing as t
from govtrain.people import services

pytestmark = pytest.mark.django_db


def login(client, username: str, password: str = t.PASSWORD):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR="10.0.0.1",
    )


def test_employee_logs_in_with_pen_and_sees_their_dashboard(client, learner_a) -> None:
    response = login(client, learner_a.pen)

    assert response.status_code == 302
    home = client.get(response["Location"])
    assert "Welcome, Anitha K." in home.content.decode()


def test_wrong_password_says_so_and_logs_nobody_in(client, learner_a) -> None:
    response = login(client, learner_a.pen, "wrong")

    assert response.status_code == 200
    assert "not right" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_account_even_for_the_right_password(client, learner_a) -> None:
    for _ in range(5):
        login(client, learner_a.pen, "wrong")

    response = login(client, learner_a.pen)

    assert response.status_code == 429
    assert "Account locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_imported_employee_activates_their_account_through_the_emailed_link(
    client, officer_a, office_a
) -> None:
    employee = services.employee_create(
        by=officer_a.user,
        pen="8300009",
        name_en="Meera R.",
        email="meera@demo.invalid",
        service_class=t.make_service_class(),
        designation=t.make_designation(),
        office=office_a,
    )

    client.post(reverse("accounts:password-reset"), {"email": "MEERA@demo.invalid"})
    link = re.search(r"https?://[^/]+(/password-reset/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"},
    )

    assert len(mail.outbox) == 1
    assert "8300009" in mail.outbox[0].body
    employee.user.refresh_from_db()
    assert employee.user.check_password("a-long-new-passphrase")
    assert login(client, "8300009", "a-long-new-passphrase").status_code == 302


def test_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client) -> None:
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@demo.invalid"})

    assert response.status_code == 302
    assert mail.outbox == []


def test_a_retired_employee_cannot_log_in(client, officer_a, learner_a) -> None:
    services.employee_update(employee=learner_a, by=officer_a.user, status="retired")

    response = login(client, learner_a.pen)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_language_choice_sticks_to_the_account(client, learner_a) -> None:
    client.force_login(learner_a.user)

    client.post(reverse("accounts:language"), {"language": "ml", "next": "/"})
    home = client.get(reverse("core:home"))

    learner_a.user.refresh_from_db()
    assert learner_a.user.language == "ml"
    assert '<html lang="ml">' in home.content.decode()
    assert "അനിത കെ." in home.content.decode()


def test_language_switch_refuses_to_redirect_elsewhere(client) -> None:
    response = client.post(
        reverse("accounts:language"), {"language": "ml", "next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("core:home")


def test_pages_carry_csp_and_framing_protection(client) -> None:
    response = client.get(reverse("accounts:login"))

    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_session_cookie_is_http_only_and_same_site(client, learner_a) -> None:
    response = login(client, learner_a.pen)

    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
