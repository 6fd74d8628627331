"""The catalog's two pages, the platform's busiest, served from cached HTML.

What every reader sees alike (the search form, a page of results, a course with its
batches and seats left) is rendered once and cached under the catalog's version
(`selectors.catalog_version`), which the services of courses, batches and nominations
replace on every write: an edited course or a confirmed seat shows at once. Writes that
bypass those services (the admin's providers, centres and topics, bulk loads) show within
CATALOG_CACHE_SECONDS. The reader's own part (the layout, their nomination of each batch,
what they may do about it) is rendered on every request.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from govtrain.accounts.access import Perm, access_for
from govtrain.catalog import selectors
from govtrain.catalog.forms import CatalogForm
from govtrain.catalog.models import Course
from govtrain.classroom.models import Batch
from govtrain.classroom.selectors import batch_actions_for, policy_for
from govtrain.core.http import AuthedRequest
from govtrain.external import selectors as external_selectors

PAGE_SIZE = 20


def _list_key(request: AuthedRequest, *, is_learner: bool) -> str:
    """Everything the catalog's form and results depend on: the query as typed, the
    language, the day (batches still to start), whether the reader has targets and, for
    "only courses meant for me", the reader's service class, cadre and designation."""
    eligibility = ""
    if is_learner and "eligible" in request.GET:
        employee = request.user.employee
        eligibility = f"{employee.service_class_id}.{employee.cadre_id}.{employee.designation_id}"
    query = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:32]
    return ":".join(
        (
            "catalog:list",
            selectors.catalog_version(),
            get_language(),
            timezone.localdate().isoformat(),
            "learner" if is_learner else "other",
            eligibility,
            query,
        )
    )


@dataclass(frozen=True)
class _Filters:
    """What every search's form shares, cached apart from the searches: the choices of
    the filters, and their options as HTML (nothing selected)."""

    choices: selectors.CatalogChoices
    options: dict[str, str]


def _filters(today: dt.date) -> _Filters:
    key = ":".join(
        ("catalog:filters", selectors.catalog_version(), get_language(), today.isoformat())
    )
    filters: _Filters | None = cache.get(key)
    if filters is None:
        choices = selectors.catalog_choices()
        form = CatalogForm(None, choices=choices, today=today, is_learner=False)
        filters = _Filters(choices=choices, options=form.options())
        cache.set(key, filters, settings.CATALOG_CACHE_SECONDS)
    return filters


def _list_fragments(request: AuthedRequest, *, is_learner: bool) -> dict[str, str]:
    """The form and the results as HTML, rendered without the request: nothing of the
    reader but `_list_key`'s parts may reach them."""
    today = timezone.localdate()
    filters = _filters(today)
    form = CatalogForm(
        request.GET or None,
        choices=filters.choices,
        today=today,
        is_learner=is_learner,
    )
    form.use_options(filters.options)
    courses = selectors.courses_search(user=request.user, filters=form.filters(), today=today)
    page = _page_of(courses, request.GET.get("page"), today)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        # Course pages live under the list's URL (urls.py): one reverse() for twenty links.
        "catalog_url": reverse("catalog:course-list"),
        "other_language": "en" if get_language() == "ml" else "ml",
    }
    return {
        "form": render_to_string("catalog/_search_form.html", context),
        "results": render_to_string("catalog/_course_results.html", context),
    }


def _page_of(courses: QuerySet[Course], number: str | None, today: dt.date) -> Page[Course]:
    """As Paginator.get_page in one read of the search: the ids of every match in order
    (their number is the count), then the page's courses by id. On PostgreSQL a broad
    search ("kerala": 4,700 courses) cost as much again to count as to page. A window
    count with LIMIT sorted less, but PostgreSQL then planned some filters as a walk of
    the title index expecting to stop early, which the count never lets it (30 ms where
    sorting every match takes 4 ms)."""
    ids = selectors.ids_in_order(courses)
    page = Paginator(ids, PAGE_SIZE).get_page(number)
    return Page(
        selectors.courses_listed(ids=list(page.object_list), today=today),
        page.number,
        page.paginator,  # type: ignore[arg-type]  # counts the ids, pages the courses
    )


@require_GET
@login_required
def course_list(request: AuthedRequest) -> HttpResponse:
    """The catalog: search as you type and filters; htmx swaps only the results."""
    is_learner = access_for(request.user).is_learner
    key = _list_key(request, is_learner=is_learner)
    fragments: dict[str, str] | None = cache.get(key)
    if fragments is None:
        fragments = _list_fragments(request, is_learner=is_learner)
        cache.set(key, fragments, settings.CATALOG_CACHE_SECONDS)
    results = mark_safe(fragments["results"])  # noqa: S308 - our own rendered template
    # A history restore after a reload asks for the whole page, header or not.
    if request.htmx and not request.htmx.history_restore_request:
        response = HttpResponse(results)
    else:
        search_form = mark_safe(fragments["form"])  # noqa: S308 - as above
        context = {"search_form": search_form, "results": results}
        response = render(request, "catalog/course_list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@dataclass(frozen=True)
class CoursePage:
    """What the cache keeps of a course page: the same for every reader."""

    course: Course  # published or not: the view decides who may see it
    batches: list[Batch]  # upcoming, with seats_left
    body: str  # the page's content, with a marker for each batch's actions
    lead_days: int  # nominations close this many days before a batch starts


def _course_page(code: str) -> CoursePage | None:
    """The course (published or not), its upcoming batches with seats left and its page's
    content as HTML with a marker for each batch's actions; cached, None if no course."""
    today = timezone.localdate()
    key = ":".join(
        (
            "catalog:course",
            selectors.catalog_version(),
            get_language(),
            today.isoformat(),
            hashlib.sha256(code.encode()).hexdigest()[:32],
        )
    )
    page: CoursePage | None = cache.get(key)
    if page is not None:
        return page
    course = selectors.course_get(code=code)
    if course is None:
        return None
    batches = list(selectors.batches_upcoming(course=course, today=today))
    context = {
        "course": course,
        "targets": selectors.course_targets(course=course),
        "batches": batches,
        "today": today,
    }
    page = CoursePage(
        course=course,
        batches=batches,
        body=render_to_string("catalog/_course_body.html", context),
        lead_days=policy_for(course).lead_days,
    )
    cache.set(key, page, settings.CATALOG_CACHE_SECONDS)
    return page


@require_GET
@login_required
def course_detail(request: AuthedRequest, code: str) -> HttpResponse:
    """A course in the reader's language with its upcoming batches; unpublished courses
    exist only for those who manage their provider."""
    page = _course_page(code)
    if page is None:
        raise Http404
    course, batches = page.course, page.batches
    # The same rule as selectors.course_get_for, on the cached course: 404, not 403.
    if not course.is_published and not access_for(request.user).covers_provider(
        Perm.CATALOG_MANAGE, course.provider_id
    ):
        raise Http404
    body = page.body
    actions = batch_actions_for(
        user=request.user, batches=batches, course=course, lead_days=page.lead_days
    )
    csrf_token = get_token(request)
    for batch in batches:
        batch.actions = actions[batch.pk]  # type: ignore[attr-defined]  # for the row partial
        html = render_to_string(
            "catalog/_batch_actions.html", {"batch": batch, "csrf_token": csrf_token}
        )
        body = body.replace(f"<!--batch-actions:{batch.pk}-->", html, 1)
    context = {
        "course": course,
        "body": mark_safe(body),  # noqa: S308 - our own rendered templates
        # The reader's part of an external course (None, and no query, for the others).
        "external": external_selectors.course_actions_for(user=request.user, course=course),
    }
    return render(request, "catalog/course_detail.html", context)
