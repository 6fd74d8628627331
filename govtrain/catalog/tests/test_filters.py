"""The catalog's filters, each on its own and with search text."""

import datetime as dt

import pytest
from django.utils import timezone

from govtrain import testing as t
from govtrain.catalog.models import Course, Topic
from govtrain.classroom.models import Batch
from govtrain.people.models import Cadre

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def in_months(n: int, day: int = 10) -> dt.date:
    month = TODAY.month - 1 + n
    return dt.date(TODAY.year + month // 12, month % 12 + 1, day)


def batch_at(course: Course, centre: str, starts_on: dt.date, code: str, **fields: object) -> None:
    venue = t.make_venue(course.provider, centre_code=centre)
    fields.setdefault("nominations_open_on", starts_on - dt.timedelta(days=40))
    t.make_batch(course, code=code, venue=venue, starts_on=starts_on, **fields)


def test_topic_takes_in_its_sub_topics(find) -> None:
    lead = t.make_topic("LEAD", "Leadership")
    women = Topic.objects.create(code="LEAD-W", name_en="Women in leadership", parent=lead)
    t.make_course("C-1", topic=lead)
    t.make_course("C-2", topic=women)
    t.make_course("C-3", topic=t.make_topic("FIN", "Finance"))

    assert find(topic="LEAD") == ["C-1", "C-2"]
    assert find(topic="LEAD-W") == ["C-2"]


def test_provider(find) -> None:
    t.make_course("IMG-1")
    t.make_course("KILA-1", provider=t.make_provider("KILA"))

    assert find(provider="KILA") == ["KILA-1"]


def test_centre_means_an_upcoming_scheduled_batch_there(find) -> None:
    kochi = "IMG-EKM"
    batch_at(t.make_course("C-1"), kochi, in_months(1), "B-1")
    batch_at(t.make_course("C-2"), kochi, in_months(1), "B-2", status=Batch.Status.CANCELLED)
    batch_at(t.make_course("C-3"), kochi, TODAY - dt.timedelta(days=20), "B-3")
    batch_at(t.make_course("C-4"), "IMG-TVM", in_months(1), "B-4")

    assert find(centre=kochi) == ["C-1"]


def test_month_means_a_scheduled_batch_starting_that_month(find) -> None:
    batch_at(t.make_course("C-1"), "IMG-TVM", in_months(2), "B-1")
    batch_at(t.make_course("C-2"), "IMG-TVM", in_months(3), "B-2")

    assert find(month=in_months(2, day=1)) == ["C-1"]


def test_centre_and_month_must_hold_for_the_same_batch(find) -> None:
    course = t.make_course("C-1")
    batch_at(course, "IMG-EKM", in_months(1), "B-1")
    batch_at(course, "IMG-TVM", in_months(2), "B-2")

    assert find(centre="IMG-EKM", month=in_months(1)) == ["C-1"]
    assert find(centre="IMG-EKM", month=in_months(2)) == []


def test_modality(find) -> None:
    t.make_course("C-1")
    t.make_course("C-2", modality=Course.Modality.ONLINE)

    assert find(modality="online") == ["C-2"]


def test_group_keeps_courses_open_to_everyone(find) -> None:
    t.make_course("ALL")
    t.make_course("FOR-C").target_service_classes.set([t.make_service_class("SUB", "C")])
    t.make_course("FOR-B").target_service_classes.set([t.make_service_class("SS-B", "B")])

    assert find(group="C") == ["ALL", "FOR-C"]
    assert find(group="B") == ["ALL", "FOR-B"]


def test_language(find) -> None:
    t.make_course("C-1", languages=["ml", "en"])
    t.make_course("C-2", languages=["hi"])

    assert find(language="hi") == ["C-2"]
    assert find(language="en") == ["C-1"]


def test_filters_combine_with_search_text(find) -> None:
    t.make_course("C-1", title_en="Disaster management", modality=Course.Modality.ONLINE)
    t.make_course("C-2", title_en="Disaster response")

    assert find("disaster", modality="classroom") == ["C-2"]


def test_eligible_for_me_matches_every_dimension_the_course_targets(find, learner_a) -> None:
    clerk, tahsildar = t.make_designation("CLK", "Clerk"), t.make_designation("TAH", "Tahsildar")
    subordinate, state = t.make_service_class("SUB", "C"), t.make_service_class("SS-B", "B")
    revenue = Cadre.objects.create(code="REVS", name_en="Revenue Service")
    t.make_course("OPEN")
    t.make_course("CLERKS").target_designations.set([clerk, tahsildar])
    t.make_course("TAHSILDARS").target_designations.set([tahsildar])
    t.make_course("SUBORDINATE").target_service_classes.set([subordinate])
    t.make_course("STATE").target_service_classes.set([state])
    t.make_course("REVENUE-CADRE").target_cadres.set([revenue])
    both = t.make_course("SUB-TAH")
    both.target_service_classes.set([subordinate])
    both.target_designations.set([tahsildar])

    assert learner_a.designation == clerk
    assert learner_a.cadre is None
    assert find(user=learner_a.user, eligible=True) == ["CLERKS", "OPEN", "SUBORDINATE"]


def test_eligible_for_me_follows_the_employees_cadre(find, learner_a) -> None:
    revenue = Cadre.objects.create(code="REVS", name_en="Revenue Service")
    t.make_course("REVENUE-CADRE").target_cadres.set([revenue])
    learner_a.cadre = revenue
    learner_a.save()

    assert find(user=learner_a.user, eligible=True) == ["REVENUE-CADRE"]


def test_nothing_is_meant_for_a_user_who_is_not_an_employee(find, admin) -> None:
    t.make_course("OPEN")

    assert find(user=admin, eligible=True) == []
    assert find(user=admin) == ["OPEN"]
