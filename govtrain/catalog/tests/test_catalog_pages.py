"""The catalog pages: every employee browses and searches; the course page in their
language; unpublished courses only for those who manage them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from govtrain import testing as t
from govtrain.catalog.models import Course
from govtrain.classroom.models import Batch, Nomination
from govtrain.people.models import Cadre

pytestmark = pytest.mark.django_db

CATALOG = reverse("catalog:course-list")
# On top of the layout's: the filters' choices (topics, providers, centres in one query),
# the ids of every match (their number is the count), the page's courses, their batches.
LIST_QUERIES = 4
# The course; its targets and prerequisites (one query); its batches; the approval
# policy and the reader's own nominations, for the batches' actions.
DETAIL_QUERIES = 5


def detail(course: Course) -> str:
    return reverse("catalog:course-detail", args=[course.code])


def many_courses(n: int) -> None:
    for i in range(n):
        course = t.make_course(f"C-{i:03d}", title_en=f"Course on records {i:03d}")
        t.make_batch(course, code=f"B-{i:03d}")


def test_the_catalog_asks_for_a_login(client) -> None:
    response = client.get(CATALOG)

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_every_employee_browses_the_catalog_from_the_navigation(client, learner_a, rti) -> None:
    client.force_login(learner_a.user)

    response = client.get(reverse("core:home"))
    assert f'href="{CATALOG}"' in response.content.decode()

    page = client.get(CATALOG).content.decode()
    assert 'role="search"' in page
    assert 'id="results"' in page
    assert f'href="{detail(rti)}"' in page
    assert "RTI for public information officers" in page


def test_searching_without_javascript_returns_the_whole_page(
    client, learner_a, rti, noting
) -> None:
    client.force_login(learner_a.user)

    page = client.get(CATALOG, {"q": "drafting"}).content.decode()

    assert "<html" in page
    assert f'href="{detail(noting)}"' in page
    assert f'href="{detail(rti)}"' not in page


def test_htmx_gets_only_the_results_partial(client, learner_a, rti, noting) -> None:
    client.force_login(learner_a.user)

    response = client.get(CATALOG, {"q": "വിവരാ"}, HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert "<html" not in page
    assert 'class="count"' in page
    assert f'href="{detail(rti)}"' in page
    assert f'href="{detail(noting)}"' not in page
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client, learner_a, rti) -> None:
    client.force_login(learner_a.user)

    response = client.get(
        CATALOG, {"q": "rti"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )

    assert "<html" in response.content.decode()


def test_filters_narrow_the_page_and_a_bad_value_is_only_ignored(client, learner_a) -> None:
    t.make_course("C-1", modality=Course.Modality.ONLINE)
    t.make_course("C-2")
    client.force_login(learner_a.user)

    online = client.get(CATALOG, {"modality": "online"}).context["page"]
    anything = client.get(CATALOG, {"modality": "by-pigeon"})

    assert [c.code for c in online] == ["C-1"]
    assert anything.status_code == 200
    assert [c.code for c in anything.context["page"]] == ["C-1", "C-2"]
    assert anything.context["form"].errors["modality"]


def test_the_eligible_filter_is_offered_to_employees_only(client, learner_a, admin) -> None:
    client.force_login(learner_a.user)
    assert 'name="eligible"' in client.get(CATALOG).content.decode()

    client.force_login(admin)
    assert 'name="eligible"' not in client.get(CATALOG).content.decode()


def test_pages_of_twenty(client, learner_a) -> None:
    many_courses(25)
    client.force_login(learner_a.user)

    second = client.get(CATALOG, {"q": "records", "page": 2}).context["page"]

    assert [c.code for c in second] == [f"C-{i:03d}" for i in range(20, 25)]


def test_pages_count_every_match_and_an_old_link_past_the_end_shows_the_last(
    client, learner_a
) -> None:
    many_courses(45)
    client.force_login(learner_a.user)

    first = client.get(CATALOG, {"q": "records"})
    assert "45 courses" in first.content.decode()
    assert "Page 1 of 3" in first.content.decode()
    past = client.get(CATALOG, {"q": "records", "page": 9}).context["page"]
    assert past.number == 3
    assert [c.code for c in past] == [f"C-{i:03d}" for i in range(40, 45)]
    assert not past.has_next()
    assert past.has_previous()
    garbled = client.get(CATALOG, {"q": "records", "page": "x"}).context["page"]
    assert garbled.number == 1
    nothing = client.get(CATALOG, {"q": "nosuchword", "page": 2})
    assert nothing.context["page"].paginator.count == 0
    assert "No course matches" in nothing.content.decode()


@pytest.mark.parametrize("courses", [1, 30])
def test_the_catalog_reads_the_same_number_of_rows_whatever_the_page_holds(
    client, learner_a, django_assert_num_queries, layout_queries, courses
) -> None:
    many_courses(courses)
    client.force_login(learner_a.user)
    layout = layout_queries()

    with django_assert_num_queries(layout + LIST_QUERIES):
        client.get(CATALOG, {"q": "records", "eligible": "on", "centre": "IMG-TVM"})


def test_the_course_page_speaks_the_readers_language(client, learner_a, rti) -> None:
    learner_a.user.language = "ml"
    learner_a.user.save()
    client.force_login(learner_a.user)

    page = client.get(detail(rti)).content.decode()

    assert "<h1>പബ്ലിക് ഇൻഫർമേഷൻ ഓഫീസർമാർക്ക് വിവരാവകാശ നിയമം</h1>" in page
    assert "വിവരാവകാശ നിയമം, 2005" in page
    assert 'lang="en">RTI for public information officers' in page


def test_the_course_page_lists_what_a_learner_needs_to_decide(client, learner_a, rti) -> None:
    rti.summary_ml = ""
    rti.fee = 1500
    rti.save()
    rti.target_designations.set([t.make_designation("PIO", "Public Information Officer")])
    rti.prerequisites.set([t.make_course("IMG-OFFICE", title_en="Office procedure")])
    client.force_login(learner_a.user)

    page = client.get(detail(rti)).content.decode()

    for text in ("IMG", "Right to information", "12 hours", "Malayalam, English", "INR 1,500"):
        assert text in page
    assert "Public Information Officer" in page
    assert f'href="{reverse("catalog:course-detail", args=["IMG-OFFICE"])}"' in page


def test_the_course_page_shows_upcoming_scheduled_batches_only(client, learner_a, rti) -> None:
    today = timezone.localdate()
    soon = t.make_batch(rti, code="RTI-SOON", starts_on=today + dt.timedelta(days=20))
    t.make_batch(rti, code="RTI-OFF", status=Batch.Status.CANCELLED)
    t.make_batch(
        rti,
        code="RTI-PAST",
        starts_on=today - dt.timedelta(days=10),
        nominations_open_on=today - dt.timedelta(days=40),
    )
    Nomination.objects.create(
        batch=soon, employee=learner_a, status=Nomination.Status.CONFIRMED, source="request"
    )
    client.force_login(learner_a.user)

    response = client.get(detail(rti))

    assert [b.code for b in response.context["batches"]] == ["RTI-SOON"]
    page = response.content.decode()
    assert soon.starts_on.strftime("%-d %b %Y") in page
    assert "Centre IMG-TVM" in page
    assert "Room SC1" in page
    assert "29 of 30" in page
    assert soon.nominations_close_on.strftime("%-d %b %Y") in page


def test_the_course_page_names_whom_it_is_for_in_the_readers_language(
    client, learner_a, rti
) -> None:
    clerk = t.make_designation("CLK", "Clerk")
    clerk.name_ml = "ക്ലർക്ക്"
    clerk.save()
    rti.target_service_classes.set([t.make_service_class("SUB", "C")])
    rti.target_cadres.set([Cadre.objects.create(code="MIN", name_en="Ministerial")])
    rti.target_designations.set([clerk])
    rti.prerequisites.set([t.make_course("IMG-DRAFT", title_en="Draft", is_published=False)])
    learner_a.user.language = "ml"
    learner_a.user.save()
    client.force_login(learner_a.user)

    targets = client.get(detail(rti)).context["targets"]

    assert [(c.name, str(c.note)) for c in targets.service_classes] == [("Class SUB", "ഗ്രൂപ്പ് C")]
    assert [c.name for c in targets.cadres] == ["Ministerial"]
    assert [d.name for d in targets.designations] == ["ക്ലർക്ക്"]
    assert [(p.code, p.published) for p in targets.prerequisites] == [("IMG-DRAFT", False)]


@pytest.mark.parametrize("batches", [1, 8])
def test_the_course_page_reads_the_same_number_of_rows_whatever_it_shows(
    client, learner_a, rti, django_assert_num_queries, layout_queries, batches
) -> None:
    for i in range(batches):
        t.make_batch(rti, code=f"RTI-{i}")
    rti.target_designations.set([t.make_designation("CLK", "Clerk")])
    client.force_login(learner_a.user)
    layout = layout_queries()

    with django_assert_num_queries(layout + DETAIL_QUERIES):
        client.get(detail(rti))


@pytest.mark.parametrize("modality", [Course.Modality.ONLINE, Course.Modality.BLENDED])
def test_an_online_or_blended_course_page_opens_its_lessons(client, learner_a, modality) -> None:
    course = t.make_course("NOP-DIGI", modality=modality)
    client.force_login(learner_a.user)

    page = client.get(detail(course)).content.decode()

    assert "Learn online" in page
    assert f'href="{reverse("learning:course-learn", args=[course.pk])}"' in page
    assert "Open the course" in page


def test_a_self_paced_course_lists_no_batches_and_a_classroom_one_no_lessons(
    client, learner_a, rti
) -> None:
    online = t.make_course("NOP-DIGI", modality=Course.Modality.ONLINE)
    client.force_login(learner_a.user)

    online_page = client.get(detail(online)).content.decode()
    classroom_page = client.get(detail(rti)).content.decode()

    assert "Upcoming batches" not in online_page
    assert "Upcoming batches" in classroom_page
    assert "Learn online" not in classroom_page
    assert "/learn/courses/" not in classroom_page


def test_the_link_to_the_lessons_is_the_same_for_every_reader_of_the_cached_page(
    client, learner_a, coordinator, django_assert_num_queries, layout_queries
) -> None:
    online = t.make_course("NOP-DIGI", modality=Course.Modality.ONLINE)
    link = f'href="{reverse("learning:course-learn", args=[online.pk])}"'
    client.force_login(coordinator.user)
    assert link in client.get(detail(online)).content.decode()  # now cached
    client.force_login(learner_a.user)
    layout = layout_queries()

    # From the cache: the reader's own part only (the policy and nominations are not
    # read for a course without batches).
    with django_assert_num_queries(layout):
        page = client.get(detail(online)).content.decode()

    assert link in page


def test_an_unpublished_online_course_page_offers_no_lessons_yet(client, coordinator) -> None:
    draft = t.make_course("IMG-DRAFT", modality=Course.Modality.ONLINE, is_published=False)
    client.force_login(coordinator.user)

    page = client.get(detail(draft)).content.decode()

    assert "/learn/courses/" not in page


def test_an_unpublished_course_does_not_exist_for_learners(client, learner_a) -> None:
    draft = t.make_course("IMG-DRAFT", is_published=False)
    client.force_login(learner_a.user)

    assert client.get(detail(draft)).status_code == 404
    assert "IMG-DRAFT" not in client.get(CATALOG).content.decode()


def test_coordinators_and_the_state_admin_preview_unpublished_courses(
    client, coordinator, admin
) -> None:
    mine = t.make_course("IMG-DRAFT", is_published=False)
    theirs = t.make_course("KILA-DRAFT", provider=t.make_provider("KILA"), is_published=False)

    client.force_login(coordinator.user)
    assert client.get(detail(mine)).status_code == 200
    assert client.get(detail(theirs)).status_code == 404

    client.force_login(admin)
    response = client.get(detail(theirs))
    assert response.status_code == 200
    assert "Not published" in response.content.decode()


def test_an_unknown_course_code_is_404(client, learner_a) -> None:
    client.force_login(learner_a.user)

    assert client.get(reverse("catalog:course-detail", args=["NO-SUCH"])).status_code == 404


def test_the_page_lists_title_matches_first_then_in_the_readers_order(client, learner_a) -> None:
    t.make_course("C-1", title_en="Accounts of audit", title_ml="കണക്കുകൾ")
    t.make_course("C-2", title_en="Budget", title_ml="ബജറ്റ്", summary_en="An audit of budgets")
    t.make_course("C-3", title_en="Audit", title_ml="ഓഡിറ്റ്")
    client.force_login(learner_a.user)

    page = client.get(CATALOG, {"q": "audit"}).content.decode()

    assert page.index("C-1") < page.index("C-3") < page.index("C-2")
