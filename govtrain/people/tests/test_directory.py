"""The people directory and profiles, seen by each member of the cast."""

import pytest
from django.urls import reverse

from govtrain import testing as t
from govtrain.people.models import Employee

pytestmark = pytest.mark.django_db


def test_officer_finds_own_departments_people_by_name_prefix(
    client, officer_a, learner_a, learner_b
) -> None:
    client.force_login(officer_a.user)

    response = client.get(reverse("people:employee-list"), {"q": "anit"})

    assert response.status_code == 200
    assert list(response.context["page"]) == [learner_a]


def test_officer_of_another_department_finds_nobody_of_department_a(
    client, officer_b, learner_a
) -> None:
    client.force_login(officer_b.user)

    response = client.get(reverse("people:employee-list"), {"q": "anitha"})

    assert list(response.context["page"]) == []
    assert "Anitha" not in response.content.decode()


def test_search_by_pen_prefix_and_by_malayalam_name(client, admin, learner_a, learner_b) -> None:
    client.force_login(admin)
    url = reverse("people:employee-list")

    a, b = learner_a.pen, learner_b.pen
    shared = a[: next((i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y), len(a))]
    by_pen = client.get(url, {"q": shared}).context["page"]
    by_ml = client.get(url, {"q": "ബിജു"}).context["page"]

    assert set(by_pen) == {learner_a, learner_b}
    assert list(by_ml) == [learner_b]


def test_filters_narrow_the_directory(client, admin, learner_a, learner_b, department_b) -> None:
    client.force_login(admin)

    response = client.get(reverse("people:employee-list"), {"department": department_b.pk})

    assert list(response.context["page"]) == [learner_b]


def test_htmx_search_returns_only_the_results_partial(client, admin, learner_a) -> None:
    client.force_login(admin)

    response = client.get(reverse("people:employee-list"), {"q": "an"}, HTTP_HX_REQUEST="true")

    assert next(t.name for t in response.templates) == "people/_directory_results.html"
    assert b"<form" not in response.content


def test_directory_queries_do_not_grow_with_the_page(
    client, admin, office_a, django_assert_max_num_queries
) -> None:
    for n in range(30):
        t.make_employee(office_a, name=f"Person {n:02d}", login=False)
    client.force_login(admin)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("people:employee-list"))

    assert len(response.context["page"]) == 25


def test_learner_may_not_open_the_directory(client, learner_a) -> None:
    client.force_login(learner_a.user)

    assert client.get(reverse("people:employee-list")).status_code == 403


def test_learner_sees_own_profile_with_an_empty_training_record(client, learner_a) -> None:
    client.force_login(learner_a.user)

    response = client.get(reverse("people:employee-detail", args=[learner_a.pk]))

    assert response.status_code == 200
    assert "No training has been recorded yet." in response.content.decode()


def test_learner_gets_404_for_a_colleagues_profile(client, learner_a, officer_a) -> None:
    client.force_login(learner_a.user)

    response = client.get(reverse("people:employee-detail", args=[officer_a.pk]))

    assert response.status_code == 404


def test_officer_b_gets_404_for_department_a_profiles(client, officer_b, learner_a) -> None:
    client.force_login(officer_b.user)

    response = client.get(reverse("people:employee-detail", args=[learner_a.pk]))

    assert response.status_code == 404


def test_anonymous_visitor_is_sent_to_login(client, learner_a) -> None:
    response = client.get(reverse("people:employee-list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


_ = Employee
