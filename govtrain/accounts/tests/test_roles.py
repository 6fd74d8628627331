"""State administrators assign and revoke roles; every change is on the audit trail."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from govtrain.accounts import services
from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.models import Role, RoleAssignment
from govtrain.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_admin_makes_an_employee_the_nodal_officer_of_a_department(
    client, admin, learner_a, department_a
) -> None:
    client.force_login(admin)

    response = client.post(
        reverse("accounts:role-assign"),
        {
            "username": learner_a.pen,
            "role": Role.NODAL_OFFICER,
            "department": department_a.pk,
            "reason": "Training manager of Revenue",
        },
    )

    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=learner_a.user)
    assert access_for(learner_a.user).can(Perm.PEOPLE_VIEW)
    event = AuditEvent.objects.get(action="role.assigned")
    assert event.actor == admin
    assert event.after["role"] == Role.NODAL_OFFICER
    assert event.target_id == str(assignment.pk)


def test_a_role_without_its_scope_is_refused_with_a_message(client, admin, learner_a) -> None:
    client.force_login(admin)

    response = client.post(
        reverse("accounts:role-assign"), {"username": learner_a.pen, "role": Role.NODAL_OFFICER}
    )

    assert response.status_code == 400
    assert "needs a different scope" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=learner_a.user).exists()


def test_a_state_wide_role_with_a_scope_is_refused(admin, learner_a, department_a) -> None:
    with pytest.raises(ValidationError):
        services.role_assign(
            by=admin, user=learner_a.user, role=Role.AUDITOR, department=department_a
        )


def test_an_officer_cannot_assign_roles(client, officer_a, learner_a, department_a) -> None:
    client.force_login(officer_a.user)

    response = client.post(
        reverse("accounts:role-assign"),
        {
            "username": learner_a.pen,
            "role": Role.NODAL_OFFICER,
            "department": department_a.pk,
        },
    )

    assert response.status_code == 403
    assert not RoleAssignment.objects.filter(user=learner_a.user).exists()


def test_admin_revokes_a_role_and_the_trail_keeps_what_it_was(client, admin, officer_a) -> None:
    assignment = RoleAssignment.objects.get(user=officer_a.user)
    client.force_login(admin)

    client.post(reverse("accounts:role-revoke", args=[assignment.pk]), {"reason": "Transferred"})

    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    event = AuditEvent.objects.get(action="role.revoked")
    assert event.before["role"] == Role.NODAL_OFFICER
    assert event.reason == "Transferred"


def test_the_last_state_administrator_cannot_be_removed(admin) -> None:
    with pytest.raises(ValidationError):
        services.role_revoke(by=admin, assignment=RoleAssignment.objects.get(user=admin))

    assert RoleAssignment.objects.filter(user=admin).exists()


def test_auditor_reads_the_role_list_but_cannot_revoke(client, auditor, officer_a) -> None:
    assignment = RoleAssignment.objects.get(user=officer_a.user)
    client.force_login(auditor)

    page = client.get(reverse("accounts:role-list"))
    revoke = client.post(reverse("accounts:role-revoke", args=[assignment.pk]))

    assert page.status_code == 200
    assert "Revoke" not in page.content.decode()
    assert revoke.status_code == 403
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_role_services_refuse_anyone_but_an_administrator(officer_a, learner_a) -> None:
    with pytest.raises(PermissionDenied):
        services.role_assign(by=officer_a.user, user=learner_a.user, role=Role.AUDITOR)
