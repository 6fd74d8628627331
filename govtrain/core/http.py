"""Request types for views behind @login_required, so that `request.user` is our User."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from govtrain.accounts.models import User


class AuthedRequest(HttpRequest):
    user: User  # narrowed: login_required guarantees a real user
    htmx: HtmxDetails
