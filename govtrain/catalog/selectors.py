"""Reads of the catalog. Providers, centres, rooms and topics are public reference data;
every employee may browse published courses."""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from dataclasses import dataclass
from functools import cache as memoize
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import OrderBy, RawSQL
from django.db.models.functions import Greatest
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.models import User
from govtrain.catalog import search
from govtrain.catalog.models import TITLE_ML_ORDER, Centre, Course, Provider, Topic
from govtrain.classroom.models import Batch, Nomination
from govtrain.core.fixed_sql import Columns, split_row
from govtrain.people.models import ServiceClass

# The catalog's pages are cached by the views under this version, which
# `services.catalog_changed` replaces whenever a course, a batch or a nomination changes.
CATALOG_VERSION_KEY = "catalog:version"


def catalog_version() -> str:
    """A token that changes with every write the catalog's pages show (cache keys)."""
    version = cache.get(CATALOG_VERSION_KEY)
    if version is None:
        # First request, or the cache lost it: a new token leaves nothing stale behind.
        version = uuid.uuid4().hex[:16]
        cache.add(CATALOG_VERSION_KEY, version, timeout=None)
        version = cache.get(CATALOG_VERSION_KEY, version)
    return str(version)


def centres_all() -> QuerySet[Centre]:
    return Centre.objects.select_related("provider", "district").order_by("provider__code", "code")


@dataclass(frozen=True)
class CatalogChoices:
    """What the catalog's filters offer, as (code, English name, Malayalam name)."""

    topics: list[tuple[str, str, str]]
    providers: list[tuple[str, str, str]]
    centres: list[tuple[str, str, str]]


# One fixed statement: the ORM took a millisecond to compile the union, ten times the
# time the database needs to answer it.
CHOICES_SQL = """
    SELECT 0, code, name_en, name_ml FROM catalog_topic
    UNION ALL SELECT 1, code, name_en, name_ml FROM catalog_provider
    UNION ALL SELECT 2, code, name_en, name_ml FROM catalog_centre
    ORDER BY 1, 3
"""


def catalog_choices() -> CatalogChoices:
    """Topics, providers and centres for the filters: three small lists in one query."""
    lists: tuple[list[tuple[str, str, str]], ...] = ([], [], [])
    with connection.cursor() as cursor:
        cursor.execute(CHOICES_SQL)
        for list_no, code, name_en, name_ml in cursor.fetchall():
            lists[list_no].append((code, name_en, name_ml))
    return CatalogChoices(topics=lists[0], providers=lists[1], centres=lists[2])


def courses_published() -> QuerySet[Course]:
    """What every employee sees in the catalog."""
    return Course.objects.filter(is_published=True).select_related("provider", "topic")


def courses_managed_by(*, user: User) -> QuerySet[Course]:
    """Every course, published or not, of the providers the user manages."""
    access = access_for(user)
    courses = Course.objects.select_related("provider", "topic").order_by("code")
    if Perm.CATALOG_MANAGE in access.everywhere:
        return courses
    if not access.can(Perm.CATALOG_MANAGE):
        return courses.none()
    return courses.filter(provider_id__in=access.providers)


@dataclass(frozen=True)
class CatalogFilters:
    """What a reader asked the catalog for; codes, as in the page's and the API's URLs."""

    q: str = ""
    topic: str = ""
    provider: str = ""
    centre: str = ""
    modality: str = ""
    group: str = ""  # national group of the target service classes: A, B, C or D
    language: str = ""
    month: dt.date | None = None  # any day of the month
    eligible: bool = False  # only courses meant for the reader (by their targets)


def batches_scheduled(*, today: dt.date) -> QuerySet[Batch]:
    """Batches still to start that have not been cancelled."""
    return Batch.objects.filter(status=Batch.Status.SCHEDULED, starts_on__gte=today)


# The filters on targets and batches test each course against a set computed once
# (`id IN (SELECT course_id ...)`), not against a subquery per course: over 5,000 courses
# that was several times faster on both engines, and PostgreSQL no longer estimated the
# query dear enough to JIT-compile it (100 ms).


def _open_to_group(group: str) -> Q:
    # A course with no target classes is for everyone.
    targets = Course.target_service_classes.through.objects
    return ~Q(pk__in=targets.values("course_id")) | Q(
        pk__in=targets.filter(serviceclass__national_group=group).values("course_id")
    )


# "Only courses meant for me" as one fixed condition on the course: the ORM spent ~4 ms
# compiling it from six subqueries, more than the database took to answer. In each
# dimension the course targets nothing or lists the employee's value; an employee with
# no value (NULL) matches only courses that target nothing there.
MEANT_FOR_SQL = " AND ".join(
    f"""("catalog_course"."id" NOT IN (SELECT course_id FROM {table})
      OR "catalog_course"."id" IN (
          SELECT course_id FROM {table}
           WHERE {column} = (SELECT {own} FROM people_employee WHERE id = %s)))"""  # noqa: S608 - table and column names, no input
    for table, column, own in (
        ("catalog_course_target_service_classes", "serviceclass_id", "service_class_id"),
        ("catalog_course_target_cadres", "cadre_id", "cadre_id"),
        ("catalog_course_target_designations", "designation_id", "designation_id"),
    )
)


def _meant_for(employee_id: int | None) -> Q | RawSQL:
    """Courses whose targets include the employee: in each dimension (service class,
    cadre, designation) either nothing is targeted or the employee's value is listed."""
    if employee_id is None:
        return Q(pk__in=[])  # nothing is meant for someone who is not an employee
    return RawSQL(f"({MEANT_FOR_SQL})", [employee_id] * 3, output_field=BooleanField())  # noqa: S611 - fixed SQL, the id a parameter


# What a course card shows, and no more: reading every column (summaries, timestamps)
# of twenty courses with their providers, topics and batches was half the catalog page's
# time on SQLite. Add `.defer(None)` to have all of them.
LISTED_FIELDS = (
    "code",
    "title_en",
    "title_ml",
    "modality",
    "hours",
    "languages",
    "fee",
    "fee_currency",
    "provider__code",
    "provider__name_en",
    "provider__name_ml",
    "topic__code",
    "topic__name_en",
    "topic__name_ml",
)
UPCOMING_FIELDS = ("course_id", "code", "starts_on", "centre__name_en", "centre__name_ml")


def courses_search(
    *, user: User | AnonymousUser, filters: CatalogFilters, today: dt.date
) -> QuerySet[Course]:
    """The catalog: published courses matching the search text and every filter.

    With search text, courses whose code or title holds every word come first; then in
    the order of the reader's language (Malayalam titles for Malayalam readers). Each
    course carries `upcoming_batches` (scheduled, not started, with their centres) and
    only the LISTED_FIELDS.
    """
    courses = Course.objects.filter(is_published=True)
    order: list[str | OrderBy] = (
        [TITLE_ML_ORDER.asc(), "code"] if get_language() == "ml" else ["title_en", "code"]
    )
    terms = search.parse(filters.q)
    if terms:
        courses = courses.filter(search.matches(terms)).annotate(
            title_hit=Case(
                When(search.title_matches(terms), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        order.insert(0, "-title_hit")
    if filters.topic:
        # A theme includes its sub-themes.
        courses = courses.filter(
            Q(topic__code=filters.topic) | Q(topic__parent__code=filters.topic)
        )
    if filters.provider:
        courses = courses.filter(provider__code=filters.provider)
    if filters.modality:
        courses = courses.filter(modality=filters.modality)
    if filters.language:
        # Portable across engines: JSON arrays are stored as text with quoted codes.
        courses = courses.filter(languages__icontains=f'"{filters.language}"')
    if filters.group:
        courses = courses.filter(_open_to_group(filters.group))
    if filters.centre or filters.month:
        # One batch must satisfy both: "at Kochi, in March".
        batches = batches_scheduled(today=today)
        if filters.centre:
            batches = batches.filter(centre__code=filters.centre)
        if filters.month:
            first = filters.month.replace(day=1)
            last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
            batches = batches.filter(starts_on__range=(first, last))
        courses = courses.filter(pk__in=batches.values("course_id"))
    if filters.eligible:
        courses = courses.filter(_meant_for(access_for(user).employee_id))
    return _listed(courses, today=today).order_by(*order)


def _listed(courses: QuerySet[Course], *, today: dt.date) -> QuerySet[Course]:
    upcoming = (
        batches_scheduled(today=today)
        .select_related("centre")
        .only(*UPCOMING_FIELDS)
        .order_by("starts_on", "code")
    )
    return (
        courses.select_related("provider", "topic")
        .only(*LISTED_FIELDS)
        .prefetch_related(Prefetch("batches", queryset=upcoming, to_attr="upcoming_batches"))
    )


def ids_in_order(courses: QuerySet[Course]) -> list[int]:
    """The ids of a search's courses in its order, read as plain rows: through the ORM,
    turning 4,700 matches of a broad search into a list took 8 ms on PostgreSQL."""
    sql, params = courses.prefetch_related(None).values_list("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [pk for (pk,) in cursor.fetchall()]


@memoize
def _listed_columns() -> tuple[tuple[Columns[Any], ...], tuple[Columns[Any], ...], str, str]:
    course_fields = [f for f in LISTED_FIELDS if "__" not in f]
    courses = (
        Columns(Course, "c", only=[*course_fields, "provider", "topic"]),
        Columns(Provider, "p", only=[f.split("__")[1] for f in LISTED_FIELDS if f[:3] == "pro"]),
        Columns(Topic, "t", only=[f.split("__")[1] for f in LISTED_FIELDS if f[:3] == "top"]),
    )
    batches = (
        Columns(Batch, "b", only=[f for f in UPCOMING_FIELDS if "__" not in f]),
        Columns(Centre, "ce", only=[f.split("__")[1] for f in UPCOMING_FIELDS if "__" in f]),
    )
    courses_sql = (
        f"SELECT {', '.join(cols.sql for cols in courses)}"  # noqa: S608 - names, no input
        " FROM catalog_course c JOIN catalog_provider p ON p.id = c.provider_id"
        " JOIN catalog_topic t ON t.id = c.topic_id WHERE c.id IN ({ids})"
    )
    batches_sql = (
        f"SELECT {', '.join(cols.sql for cols in batches)}"  # noqa: S608 - as above
        " FROM classroom_batch b JOIN catalog_centre ce ON ce.id = b.centre_id"
        " WHERE b.course_id IN ({ids}) AND b.status = %s AND b.starts_on >= %s"
        " ORDER BY b.starts_on, b.code"
    )
    return courses, batches, courses_sql, batches_sql


def courses_listed(*, ids: list[int], today: dt.date) -> list[Course]:
    """The courses of `ids`, in that order, as `courses_search` gives them (LISTED_FIELDS
    and `upcoming_batches`): two fixed statements, as a page of results read through the
    ORM (a join and a prefetch) cost ten times what the database took to answer."""
    if not ids:
        return []
    courses, batches, courses_sql, batches_sql = _listed_columns()
    placeholders = ", ".join(["%s"] * len(ids))
    found: dict[int, Course] = {}
    with connection.cursor() as cursor:
        cursor.execute(courses_sql.format(ids=placeholders), ids)
        for row in cursor.fetchall():
            course, provider, topic = split_row(row, *courses)
            Course.provider.field.set_cached_value(course, provider)
            Course.topic.field.set_cached_value(course, topic)
            course.upcoming_batches = []
            found[course.pk] = course
        cursor.execute(batches_sql.format(ids=placeholders), [*ids, Batch.Status.SCHEDULED, today])
        for row in cursor.fetchall():
            batch, centre = split_row(row, *batches)
            Batch.centre.field.set_cached_value(batch, centre)
            found[batch.course_id].upcoming_batches.append(batch)  # type: ignore[attr-defined]
    return [found[pk] for pk in ids if pk in found]


def _visible_q(user: User | AnonymousUser) -> Q:
    """Published courses, and unpublished ones to those who manage their provider."""
    access = access_for(user)
    if Perm.CATALOG_MANAGE in access.everywhere:
        return Q()
    if access.can(Perm.CATALOG_MANAGE):
        return Q(is_published=True) | Q(provider_id__in=access.providers)
    return Q(is_published=True)


def course_get(*, code: str) -> Course | None:
    """One course by code, published or not, for whoever may see it (`_visible_q`)."""
    return Course.objects.select_related("provider", "topic").filter(code=code).first()


def course_get_for(*, user: User | AnonymousUser, code: str) -> Course:
    """One course by code, or 404 (an unpublished course does not exist for a learner)."""
    courses = Course.objects.filter(_visible_q(user)).select_related("provider", "topic")
    return get_object_or_404(courses, code=code)


@dataclass(frozen=True)
class Named:
    """A target or a prerequisite of a course, named in the reader's language."""

    code: str
    name: str
    note: str = ""  # a service class's national group: "Group C"
    published: bool = True  # a prerequisite's page can be linked only when published


@dataclass(frozen=True)
class CourseTargets:
    service_classes: list[Named]
    cadres: list[Named]
    designations: list[Named]
    prerequisites: list[Named]


# The course page's four short lists in one fixed statement, a tenth of the time of four
# ORM queries (each spent ~1 ms compiling before SQLite answered in 0.05 ms).
TARGETS_SQL = """
    SELECT 0, s.code, s.name_en, s.name_ml, s.national_group, s.rank
      FROM people_serviceclass s
      JOIN catalog_course_target_service_classes t ON t.serviceclass_id = s.id
     WHERE t.course_id = %s
    UNION ALL
    SELECT 1, c.code, c.name_en, c.name_ml, '', 0
      FROM people_cadre c JOIN catalog_course_target_cadres t ON t.cadre_id = c.id
     WHERE t.course_id = %s
    UNION ALL
    SELECT 2, d.code, d.name_en, d.name_ml, '', 0
      FROM people_designation d JOIN catalog_course_target_designations t ON t.designation_id = d.id
     WHERE t.course_id = %s
    UNION ALL
    SELECT 3, p.code, p.title_en, p.title_ml, CASE WHEN p.is_published THEN 'yes' ELSE '' END, 0
      FROM catalog_course p JOIN catalog_course_prerequisites t ON t.to_course_id = p.id
     WHERE t.from_course_id = %s
    ORDER BY 1, 6, 3
"""


def course_targets(*, course: Course) -> CourseTargets:
    """Whom the course is for (empty lists: everyone) and what it requires first."""
    ml = get_language() == "ml"
    groups = dict(ServiceClass.NationalGroup.choices)
    lists: tuple[list[Named], ...] = ([], [], [], [])
    with connection.cursor() as cursor:
        cursor.execute(TARGETS_SQL, [course.pk] * 4)
        for list_no, code, name_en, name_ml, extra, _rank in cursor.fetchall():
            name = (ml and name_ml) or name_en
            if list_no == 0:
                lists[0].append(Named(code, name, note=str(groups.get(extra, extra))))
            elif list_no == 3:
                lists[3].append(Named(code, name, published=bool(extra)))
            else:
                lists[list_no].append(Named(code, name))
    return CourseTargets(*lists)


BATCH_FIELDS = (
    "course_id",
    "code",
    "starts_on",
    "ends_on",
    "capacity",
    "nominations_open_on",
    "nominations_close_on",
    "language",
    "status",
    "centre__code",
    "centre__name_en",
    "centre__name_ml",
    "venue__code",
    "venue__name_en",
    "venue__name_ml",
)


def batches_upcoming(*, course: Course, today: dt.date) -> QuerySet[Batch]:
    """The course's scheduled batches still to start, with `seats_left` (capacity less
    approved and confirmed nominations). Only BATCH_FIELDS are read."""
    taken = Count("nominations", filter=Q(nominations__status__in=Nomination.HOLDING))
    return (
        batches_scheduled(today=today)
        .filter(course=course)
        .select_related("centre", "venue")
        .only(*BATCH_FIELDS)
        .annotate(seats_left=Greatest(F("capacity") - taken, Value(0)))
        .order_by("starts_on", "code")
    )
