"""The signed-in user is loaded on every request by one fixed statement
(`UserWithEmployeeBackend.get_user`), with their access and unread count: it must build
what the ORM would have built, and what it keeps must follow changes in the request."""

import pytest
from django.contrib.auth import get_user
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from govtrain import testing as t
from govtrain.accounts.access import Perm, Role, access_for, forget_access
from govtrain.accounts.backends import UserWithEmployeeBackend
from govtrain.accounts.models import User
from govtrain.notifications.selectors import notifications_unread_count
from govtrain.notifications.services import notifications_mark_read, notify
from govtrain.people.models import Employee

pytestmark = pytest.mark.django_db

backend = UserWithEmployeeBackend()


def test_an_employee_is_loaded_with_their_record_in_one_query(learner_a) -> None:
    assert learner_a.user is not None
    User.objects.filter(pk=learner_a.user.pk).update(last_login=timezone.now(), language="ml")
    expected = User.objects.select_related("employee").get(pk=learner_a.user.pk)

    with CaptureQueriesContext(connection) as queries:
        user = backend.get_user(str(learner_a.user.pk))  # as the session keeps it
        assert user is not None
        employee = user.employee
        assert employee.user is user

    assert len(queries) == 1
    for field in User._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(expected, field.attname), field.name
    for field in Employee._meta.concrete_fields:
        assert getattr(employee, field.attname) == getattr(expected.employee, field.attname)
    assert timezone.is_aware(user.last_login)
    assert user.is_active is True
    assert user.language == "ml"
    assert user._state.adding is False
    assert employee._state.adding is False


def test_a_service_account_has_no_employee_without_another_query(hr_system) -> None:
    with CaptureQueriesContext(connection) as queries:
        user = backend.get_user(hr_system.pk)
        assert user is not None
        with pytest.raises(Employee.DoesNotExist):
            _ = user.employee

    assert len(queries) == 1


def test_no_user_for_an_unknown_or_malformed_id_or_a_deactivated_login(learner_a) -> None:
    assert backend.get_user(987654) is None
    assert backend.get_user("not-a-number") is None
    assert backend.get_user(None) is None
    assert learner_a.user is not None
    User.objects.filter(pk=learner_a.user.pk).update(is_active=False)
    assert backend.get_user(learner_a.user.pk) is None


def test_a_changed_password_ends_other_sessions(client, learner_a) -> None:
    # Django compares the session's hash with the password loaded by get_user.
    client.post(reverse("accounts:login"), {"username": learner_a.pen, "password": t.PASSWORD})
    assert client.get(reverse("core:home")).status_code == 200
    user = User.objects.get(pk=learner_a.user.pk)
    user.set_password("a-new-passphrase-2027")
    user.save()

    request = client.get(reverse("core:home")).wsgi_request
    assert not get_user(request).is_authenticated


def test_an_officers_layout_reads_their_roles_and_unread_count_with_them(
    client, officer_a, office_b
) -> None:
    assert officer_a.user is not None
    t.grant(officer_a.user, Role.COORDINATOR, provider=t.make_provider("KILA"))
    for message in ("A nomination waits", "Another nomination waits"):
        notify(users=[officer_a.user], message=message, email=False)
    client.force_login(officer_a.user)
    client.get(reverse("core:privacy"))  # the session, from the database into the cache

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("core:privacy"))

    assert len(queries) == 1
    access = access_for(page.wsgi_request.user)
    assert access.roles == {Role.NODAL_OFFICER, Role.COORDINATOR}
    assert access.departments == {officer_a.office.department_id}
    assert access.providers == {t.make_provider("KILA").pk}
    assert access.employee_id == officer_a.pk
    html = page.content.decode()
    assert f'href="{reverse("people:employee-list")}"' in html  # a nodal officer's menu
    assert '<span class="badge">2<span class="visually-hidden"> unread' in html


def test_the_count_loaded_with_the_user_follows_marking_read_in_the_same_request(
    learner_a,
) -> None:
    assert learner_a.user is not None
    notify(users=[learner_a.user], message="Seat confirmed", email=False)
    loaded = backend.get_user(learner_a.user.pk)
    assert loaded is not None
    user = SimpleLazyObject(lambda: loaded)  # as request.user is
    assert notifications_unread_count(user=user) == 1

    notifications_mark_read(user=user)

    assert notifications_unread_count(user=user) == 0


def test_a_role_granted_during_the_request_counts_at_once(learner_a, department_a) -> None:
    assert learner_a.user is not None
    loaded = backend.get_user(learner_a.user.pk)
    assert loaded is not None
    user = SimpleLazyObject(lambda: loaded)
    assert not access_for(user).can(Perm.NOMINATE)

    t.grant(loaded, Role.NODAL_OFFICER, department=department_a)
    forget_access(user)

    assert access_for(user).can(Perm.NOMINATE)
