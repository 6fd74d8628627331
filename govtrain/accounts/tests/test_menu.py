"""The main menu offers each role its online-learning pages and nobody else's."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from govtrain.accounts.models import User
from govtrain.people.models import Employee

pytestmark = pytest.mark.django_db


def _menu(client: Client, user: User | None) -> str:
    assert user is not None
    client.force_login(user)
    return client.get(reverse("core:privacy")).content.decode()


def _link(name: str, label: str) -> str:
    return f'<li><a href="{reverse(name)}">{label}</a></li>'


def test_a_learner_finds_their_online_courses_but_no_authoring_or_xapi_clients(
    client: Client, learner_a: Employee
) -> None:
    menu = _menu(client, learner_a.user)

    assert _link("learning:my-learning", "My online courses") in menu
    assert f'href="{reverse("learning:author-course-list")}"' not in menu
    assert f'href="{reverse("lrs:client-list")}"' not in menu


def test_a_coordinator_finds_course_authoring_but_not_xapi_clients(
    client: Client, coordinator: Employee
) -> None:
    menu = _menu(client, coordinator.user)

    assert _link("learning:author-course-list", "Course authoring") in menu
    assert _link("learning:my-learning", "My online courses") in menu  # an employee too
    assert f'href="{reverse("lrs:client-list")}"' not in menu


def test_the_state_administrator_finds_xapi_clients_and_course_authoring(
    client: Client, admin: User
) -> None:
    menu = _menu(client, admin)

    assert _link("lrs:client-list", "xAPI clients") in menu
    assert _link("learning:author-course-list", "Course authoring") in menu
    # The fixture's administrator is no employee: there is no learning of their own.
    assert f'href="{reverse("learning:my-learning")}"' not in menu


def test_an_auditor_reads_reports_but_is_offered_no_authoring_or_xapi_clients(
    client: Client, auditor: User
) -> None:
    menu = _menu(client, auditor)

    assert f'href="{reverse("learning:author-course-list")}"' not in menu
    assert f'href="{reverse("lrs:client-list")}"' not in menu


def test_the_new_entries_cost_the_layout_no_query(client: Client, admin: User) -> None:
    client.force_login(admin)
    client.get(reverse("core:privacy"))  # the session and the menu, cached

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("core:privacy"))

    assert len(queries) == 1  # the user with their unread count, as before
