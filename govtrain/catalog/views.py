from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from govtrain.accounts.access import access_for
from govtrain.catalog import selectors
from govtrain.catalog.forms import CatalogForm
from govtrain.classroom.selectors import batch_actions_for
from govtrain.core.http import AuthedRequest

PAGE_SIZE = 20


@require_GET
@login_required
def course_list(request: AuthedRequest) -> HttpResponse:
    """The catalog: search as you type and filters; htmx swaps only the results."""
    today = timezone.localdate()
    form = CatalogForm(
        request.GET or None,
        choices=selectors.catalog_choices(),
        today=today,
        is_learner=access_for(request.user).is_learner,
    )
    courses = selectors.courses_search(user=request.user, filters=form.filters(), today=today)
    page = Paginator(courses, PAGE_SIZE).get_page(request.GET.get("page"))
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
    # A history restore after a reload asks for the whole page, header or not.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "catalog/_course_results.html" if partial else "catalog/course_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@login_required
def course_detail(request: AuthedRequest, code: str) -> HttpResponse:
    """A course in the reader's language with its upcoming batches; unpublished courses
    exist only for those who manage their provider."""
    course = selectors.course_get_for(user=request.user, code=code)
    today = timezone.localdate()
    batches = list(selectors.batches_upcoming(course=course, today=today))
    actions = batch_actions_for(user=request.user, batches=batches, course=course)
    for batch in batches:
        batch.actions = actions[batch.pk]  # type: ignore[attr-defined]  # for the row partial
    return render(
        request,
        "catalog/course_detail.html",
        {
            "course": course,
            "targets": selectors.course_targets(course=course),
            "batches": batches,
            "today": today,
        },
    )
