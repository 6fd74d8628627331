from django.urls import reverse
from rest_framework.test import APIClient

from govtrain.accounts.models import User
from govtrain.lrs import services
from govtrain.lrs.models import Client
from govtrain.people.models import Employee


def test_an_administrator_issues_and_revokes_credentials_over_the_api(admin: User) -> None:
    api = APIClient()
    api.force_authenticate(admin)

    issued = api.post(
        reverse("v1:lrs-clients"),
        {"name": "MOOC portal", "scopes": ["statements/write"]},
        format="json",
    )

    assert issued.status_code == 201
    key, secret = issued.json()["key"], issued.json()["secret"]
    assert services.client_authenticate(key=key, secret=secret) is not None
    assert "secret" not in api.get(reverse("v1:lrs-clients")).json()[0]
    revoked = api.post(reverse("v1:lrs-client-revoke", args=[key]))
    assert revoked.status_code == 200
    assert services.client_authenticate(key=key, secret=secret) is None


def test_an_unknown_scope_is_refused_over_the_api(admin: User) -> None:
    api = APIClient()
    api.force_authenticate(admin)

    response = api.post(reverse("v1:lrs-clients"), {"name": "X", "scopes": ["root"]}, format="json")

    assert response.status_code == 400
    assert not Client.objects.exists()


def test_an_officer_cannot_use_the_clients_api(officer_a: Employee) -> None:
    api = APIClient()
    api.force_authenticate(officer_a.user)

    assert api.get(reverse("v1:lrs-clients")).status_code == 403
    assert (
        api.post(
            reverse("v1:lrs-clients"), {"name": "X", "scopes": ["all"]}, format="json"
        ).status_code
        == 403
    )
    assert not Client.objects.exists()
