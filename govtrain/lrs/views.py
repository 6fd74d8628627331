"""Pages for state administrators to issue and revoke xAPI client credentials."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from govtrain.accounts.access import Perm, access_for
from govtrain.core.http import AuthedRequest
from govtrain.lrs import selectors, services
from govtrain.lrs.forms import ClientForm
from govtrain.lrs.models import Client
from govtrain.lrs.xapi import endpoint


def _require_manager(request: AuthedRequest) -> None:
    # Outside one's permissions the page does not exist (404, not 403).
    if not access_for(request.user).can(Perm.LRS_MANAGE):
        raise Http404


@login_required
def client_list(request: AuthedRequest) -> HttpResponse:
    _require_manager(request)
    form = ClientForm(request.POST or None)
    created: tuple[Client, str] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.client_create(
                name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = ClientForm()
    context = {
        "clients": selectors.clients_all(),
        "form": form,
        # The secret is shown once, in the response to the request that created it.
        "created": created[0] if created else None,
        "secret": created[1] if created else None,
        "endpoint": endpoint(),
    }
    return render(request, "lrs/client_list.html", context)


@require_POST
@login_required
def client_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    client = get_object_or_404(Client, pk=pk)
    services.client_revoke(client=client, by=request.user, reason=request.POST.get("reason", ""))
    return redirect("lrs:client-list")
