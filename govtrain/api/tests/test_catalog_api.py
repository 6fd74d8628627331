"""The catalog over the API: the same search, filters and visibility as the pages."""

import pytest
from rest_framework.test import APIClient

from govtrain import testing as t
from govtrain.accounts.access import access_for
from govtrain.catalog.models import Course
from govtrain.classroom.models import Batch

pytestmark = pytest.mark.django_db

COURSES = "/api/v1/courses/"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def rti(db: None) -> Course:
    course = t.make_course(
        "IMG-RTI",
        title_en="RTI for public information officers",
        title_ml="പബ്ലിക് ഇൻഫർമേഷൻ ഓഫീസർമാർക്ക് വിവരാവകാശ നിയമം",
        summary_en="Requests, appeals and time limits.",
    )
    course.target_designations.set([t.make_designation("CLK", "Clerk")])
    return course


@pytest.fixture
def online(db: None) -> Course:
    course = t.make_course("NOP-DIGI", title_en="Digital fluency", modality="online")
    course.target_designations.set([t.make_designation("TAH", "Tahsildar")])
    return course


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [c["code"] for c in response.json()["results"]]


def test_the_catalog_api_needs_credentials(api, rti) -> None:
    assert api.get(COURSES).status_code in (401, 403)


def test_any_employee_lists_published_courses_with_pagination(api, learner_a, rti, online) -> None:
    t.make_course("IMG-DRAFT", is_published=False)
    api.force_authenticate(learner_a.user)

    body = api.get(COURSES).json()

    assert body["count"] == 2
    assert [c["code"] for c in body["results"]] == ["NOP-DIGI", "IMG-RTI"]
    assert body["results"][1]["title_ml"] == "പബ്ലിക് ഇൻഫർമേഷൻ ഓഫീസർമാർക്ക് വിവരാവകാശ നിയമം"
    assert body["results"][1]["provider"] == "IMG"


def test_q_searches_english_and_malayalam(api, learner_a, rti, online) -> None:
    api.force_authenticate(learner_a.user)

    assert codes(api.get(COURSES, {"q": "appeal"})) == ["IMG-RTI"]
    assert codes(api.get(COURSES, {"q": "വിവരാവകാശം"})) == ["IMG-RTI"]
    assert codes(api.get(COURSES, {"q": "digi"})) == ["NOP-DIGI"]


def test_filters_and_eligible_work_as_on_the_page(api, learner_a, rti, online) -> None:
    t.make_batch(rti, code="RTI-01")
    api.force_authenticate(learner_a.user)

    assert codes(api.get(COURSES, {"modality": "online"})) == ["NOP-DIGI"]
    assert codes(api.get(COURSES, {"centre": "IMG-TVM"})) == ["IMG-RTI"]
    assert codes(api.get(COURSES, {"eligible": "true"})) == ["IMG-RTI"]
    assert codes(api.get(COURSES, {"eligible": "false"})) == ["NOP-DIGI", "IMG-RTI"]


def test_bad_filter_values_are_refused(api, learner_a, rti) -> None:
    api.force_authenticate(learner_a.user)

    assert api.get(COURSES, {"modality": "by-pigeon"}).status_code == 400
    assert api.get(COURSES, {"month": "March"}).status_code == 400


def test_a_course_by_code_with_targets_and_upcoming_batches(api, learner_a, rti) -> None:
    t.make_batch(rti, code="RTI-01")
    t.make_batch(rti, code="RTI-OFF", status=Batch.Status.CANCELLED)
    api.force_authenticate(learner_a.user)

    body = api.get(f"{COURSES}IMG-RTI/").json()

    assert body["target_designations"] == ["CLK"]
    assert [b["code"] for b in body["upcoming_batches"]] == ["RTI-01"]
    assert body["upcoming_batches"][0]["centre"] == "IMG-TVM"
    assert body["upcoming_batches"][0]["seats_left"] == 30


def test_an_unpublished_course_is_404_for_a_learner_and_visible_to_its_coordinator(
    api, learner_a, coordinator
) -> None:
    t.make_course("IMG-DRAFT", is_published=False)

    api.force_authenticate(learner_a.user)
    assert api.get(f"{COURSES}IMG-DRAFT/").status_code == 404

    api.force_authenticate(coordinator.user)
    assert api.get(f"{COURSES}IMG-DRAFT/").json()["is_published"] is False


@pytest.mark.parametrize("courses", [1, 20])
def test_the_list_reads_the_same_number_of_rows_whatever_it_holds(
    api, learner_a, django_assert_num_queries, courses
) -> None:
    for i in range(courses):
        t.make_batch(t.make_course(f"C-{i:02d}"), code=f"B-{i:02d}")
    api.force_authenticate(learner_a.user)
    access_for(learner_a.user)  # computed once per user object: not the catalog's to count

    # The count, the page, the page's batches.
    with django_assert_num_queries(3):
        assert len(codes(api.get(COURSES, {"q": "course", "eligible": "true"}))) == courses


def test_the_openapi_document_describes_the_catalog(client) -> None:
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    assert "/api/v1/courses/{code}/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/courses/"]["get"]["parameters"]}
    assert {"q", "topic", "centre", "group", "month", "eligible"} <= parameters
