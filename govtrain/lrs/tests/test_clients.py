from django.test import Client as HttpClient
from django.urls import reverse

from govtrain.accounts.models import User
from govtrain.audit.models import AuditEvent
from govtrain.lrs import services
from govtrain.lrs.models import Client
from govtrain.people.models import Employee


def test_an_administrator_issues_credentials_and_sees_the_secret_once(
    client: HttpClient, admin: User
) -> None:
    client.force_login(admin)

    response = client.post(
        reverse("lrs:client-list"),
        {"name": "SCORM player", "scopes": ["statements/write", "state"]},
    )

    created = Client.objects.get()
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert created.secret_hash == services.secret_hash(secret)
    assert secret not in created.secret_hash
    assert services.client_authenticate(key=created.key, secret=secret) == created
    assert secret not in client.get(reverse("lrs:client-list")).content.decode()
    assert AuditEvent.objects.filter(action="lrs.client.created").exists()


def test_a_client_needs_a_name_and_a_known_scope(client: HttpClient, admin: User) -> None:
    client.force_login(admin)

    response = client.post(reverse("lrs:client-list"), {"name": "", "scopes": ["root"]})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Client.objects.exists()


def test_an_administrator_revokes_a_client(client: HttpClient, admin: User) -> None:
    created, secret = services.client_create(name="Old portal", scopes=["all"], by=admin)
    client.force_login(admin)

    response = client.post(reverse("lrs:client-revoke", args=[created.pk]))

    assert response.status_code == 302
    assert services.client_authenticate(key=created.key, secret=secret) is None


def test_other_users_do_not_find_the_clients_page(
    client: HttpClient, admin: User, officer_a: Employee, coordinator: Employee
) -> None:
    created, _secret = services.client_create(name="Portal", scopes=["all"], by=admin)
    for employee in (officer_a, coordinator):
        assert employee.user is not None
        client.force_login(employee.user)

        assert client.get(reverse("lrs:client-list")).status_code == 404
        assert client.post(reverse("lrs:client-revoke", args=[created.pk])).status_code == 404

    created.refresh_from_db()
    assert created.revoked_at is None
