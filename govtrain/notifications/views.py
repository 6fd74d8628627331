from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from govtrain.core.http import AuthedRequest
from govtrain.notifications import selectors, services


@login_required
def notification_list(request: AuthedRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(user=request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/notification_list.html", {"page": page})


@require_POST
@login_required
def notifications_read(request: AuthedRequest) -> HttpResponse:
    services.notifications_mark_read(user=request.user)
    return redirect("notifications:list")
