"""The catalog's pages are cached; a write through the services shows at once, and what
belongs to one reader (their nomination, their permissions) is never cached."""

import pytest
from django.urls import reverse

from govtrain import testing as t
from govtrain.accounts import services as accounts_services
from govtrain.accounts.models import RoleAssignment
from govtrain.catalog import services
from govtrain.classroom.models import Nomination
from govtrain.classroom.services.nominations import nomination_request

pytestmark = pytest.mark.django_db

CATALOG = reverse("catalog:course-list")


def detail(code: str) -> str:
    return reverse("catalog:course-detail", args=[code])


def test_a_course_edited_shows_at_once_on_both_pages(client, coordinator, learner_a) -> None:
    course = t.make_course("IMG-RTI", title_en="RTI for officers")
    client.force_login(learner_a.user)
    assert "RTI for officers" in client.get(CATALOG).content.decode()
    assert "RTI for officers" in client.get(detail("IMG-RTI")).content.decode()

    assert coordinator.user is not None
    services.course_update(course=course, by=coordinator.user, title_en="RTI appeals")

    assert "RTI appeals" in client.get(CATALOG).content.decode()
    assert "RTI appeals" in client.get(CATALOG, headers={"HX-Request": "true"}).content.decode()
    assert "RTI appeals" in client.get(detail("IMG-RTI")).content.decode()


def test_a_course_unpublished_leaves_the_catalog_at_once(client, coordinator, learner_a) -> None:
    course = t.make_course("IMG-RTI")
    client.force_login(learner_a.user)
    assert client.get(detail("IMG-RTI")).status_code == 200

    assert coordinator.user is not None
    services.course_publish(course=course, by=coordinator.user, published=False)

    assert client.get(detail("IMG-RTI")).status_code == 404
    assert "IMG-RTI" not in client.get(CATALOG).content.decode()


def test_a_seat_taken_shows_at_once_and_the_nomination_only_to_its_employee(
    client, learner_a, learner_b
) -> None:
    batch = t.make_batch(t.make_course("IMG-RTI"), code="RTI-01", capacity=30)
    client.force_login(learner_b.user)
    assert "30 of 30" in client.get(detail("IMG-RTI")).content.decode()

    assert learner_a.user is not None
    nomination = nomination_request(batch=batch, employee=learner_a, by=learner_a.user)
    Nomination.objects.filter(pk=nomination.pk).update(status=Nomination.Status.CONFIRMED)
    services.catalog_changed()  # what the confirming service does after its write

    page_b = client.get(detail("IMG-RTI")).content.decode()
    client.force_login(learner_a.user)
    page_a = client.get(detail("IMG-RTI")).content.decode()
    assert "29 of 30" in page_b
    assert "29 of 30" in page_a
    mine = reverse("classroom:nomination-detail", args=[nomination.pk])
    assert mine in page_a
    assert mine not in page_b
    assert "Request a seat" in page_b


def test_a_nomination_requested_counts_in_the_version(client, learner_a) -> None:
    batch = t.make_batch(t.make_course("IMG-RTI"), code="RTI-01")
    client.force_login(learner_a.user)
    assert "Request a seat" in client.get(detail("IMG-RTI")).content.decode()

    assert learner_a.user is not None
    nomination_request(batch=batch, employee=learner_a, by=learner_a.user)

    page = client.get(detail("IMG-RTI")).content.decode()
    assert "Request a seat" not in page


def test_a_cached_unpublished_course_stays_hidden_from_learners(
    client, coordinator, learner_a
) -> None:
    t.make_course("IMG-DRAFT", title_en="Draft course", is_published=False)
    assert coordinator.user is not None
    client.force_login(coordinator.user)
    assert client.get(detail("IMG-DRAFT")).status_code == 200  # now cached

    client.force_login(learner_a.user)

    assert client.get(detail("IMG-DRAFT")).status_code == 404


def test_a_role_revoked_takes_effect_at_once(client, coordinator, admin) -> None:
    t.make_course("IMG-DRAFT", is_published=False)
    assert coordinator.user is not None
    client.force_login(coordinator.user)
    assert client.get(detail("IMG-DRAFT")).status_code == 200

    assignment = RoleAssignment.objects.get(user=coordinator.user)
    accounts_services.role_revoke(by=admin, assignment=assignment, reason="Moved on")

    assert client.get(detail("IMG-DRAFT")).status_code == 404
    assert "Batches" not in client.get(CATALOG).content.decode().split("<main")[0]


def test_the_meant_for_me_results_differ_by_the_readers_targets(client, learner_a) -> None:
    designation = t.make_designation("PIO", "Public Information Officer")
    course = t.make_course("IMG-PIO", title_en="Only for PIOs")
    course.target_designations.set([designation])
    client.force_login(learner_a.user)
    assert "Only for PIOs" not in client.get(CATALOG, {"eligible": "on"}).content.decode()

    learner_a.designation = designation
    learner_a.save()

    assert "Only for PIOs" in client.get(CATALOG, {"eligible": "on"}).content.decode()
