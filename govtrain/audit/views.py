from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from govtrain.audit.selectors import audit_events_visible_to
from govtrain.core.http import AuthedRequest


@login_required
def event_list(request: AuthedRequest) -> HttpResponse:
    events = audit_events_visible_to(user=request.user)
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/event_list.html", {"page": page, "action": action})
