"""Every rule of the permission layer, one test each."""

import pytest

from govtrain import testing as t
from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.models import Role, User
from govtrain.organisation.models import LocalBody, Office
from govtrain.people.models import Employee
from govtrain.people.selectors import employees_visible_to

pytestmark = pytest.mark.django_db


def visible(user: User) -> set[int]:
    return set(employees_visible_to(user=user).values_list("pk", flat=True))


def test_learner_sees_only_themselves(learner_a: Employee, officer_a: Employee) -> None:
    assert visible(learner_a.user) == {learner_a.pk}
    assert not access_for(learner_a.user).can(Perm.PEOPLE_VIEW)


def test_department_officer_sees_own_department_only(
    officer_a: Employee, learner_a: Employee, learner_b: Employee
) -> None:
    assert visible(officer_a.user) == {officer_a.pk, learner_a.pk}


def test_officer_of_another_department_sees_nothing_of_department_a(
    officer_b: Employee, learner_a: Employee, officer_a: Employee
) -> None:
    assert visible(officer_b.user) == {officer_b.pk}
    assert not access_for(officer_b.user).can_on_employee(Perm.PEOPLE_VIEW, learner_a)


def test_district_scope_covers_every_department_in_the_district(
    learner_a: Employee, learner_b: Employee, office_a: Office
) -> None:
    collector = t.make_employee(office_a, name="Collector")
    t.grant(collector.user, Role.NODAL_OFFICER, district=office_a.district)
    other = t.make_office(
        "REV-EKM", department=office_a.department, district=t.make_district("EKM", "Ernakulam")
    )
    far = t.make_employee(other, name="Far Away")

    assert visible(collector.user) == {collector.pk, learner_a.pk, learner_b.pk}
    assert far.pk not in visible(collector.user)


def test_office_scope_covers_the_subtree_and_nothing_above(office_a: Office) -> None:
    taluk = t.make_office("REV-TVM-01", department=office_a.department, parent=office_a)
    village = t.make_office("REV-TVM-01-V1", department=office_a.department, parent=taluk)
    sibling = t.make_office("REV-TVM-02", department=office_a.department, parent=office_a)
    tahsildar = t.make_employee(taluk, name="Tahsildar")
    t.grant(tahsildar.user, Role.NODAL_OFFICER, office=taluk)
    village_officer = t.make_employee(village, name="Village Officer")
    collectorate_clerk = t.make_employee(office_a, name="Clerk")
    sibling_clerk = t.make_employee(sibling, name="Sibling")

    seen = visible(tahsildar.user)

    assert village_officer.pk in seen
    assert tahsildar.pk in seen
    assert collectorate_clerk.pk not in seen
    assert sibling_clerk.pk not in seen


def test_local_body_scope_covers_the_bodys_offices(department_a: object) -> None:
    district = t.make_district()
    body = LocalBody.objects.create(
        code="G-TVM-001",
        name_en="Karakulam Grama Panchayat",
        kind=LocalBody.Kind.GRAMA_PANCHAYAT,
        district=district,
    )
    lsgd = t.make_department("LSGD")
    body_office = t.make_office("LSG-G-TVM-001", department=lsgd, local_body=body)
    other_office = t.make_office("LSG-OTHER", department=lsgd)
    secretary = t.make_employee(body_office, name="Secretary")
    t.grant(secretary.user, Role.NODAL_OFFICER, local_body=body)
    outsider = t.make_employee(other_office, name="Outsider")

    assert visible(secretary.user) == {secretary.pk}
    assert outsider.pk not in visible(secretary.user)


def test_state_admin_and_auditor_see_everyone(
    admin: User, auditor: User, learner_a: Employee, learner_b: Employee
) -> None:
    assert visible(admin) == {learner_a.pk, learner_b.pk}
    assert visible(auditor) == {learner_a.pk, learner_b.pk}


def test_auditor_may_read_but_not_change_or_import(auditor: User, learner_a: Employee) -> None:
    access = access_for(auditor)

    assert access.can_on_employee(Perm.PEOPLE_VIEW, learner_a)
    assert not access.can_on_employee(Perm.PEOPLE_CHANGE, learner_a)
    assert not access.can(Perm.PEOPLE_IMPORT)
    assert access.can(Perm.AUDIT_VIEW)


def test_auditor_who_is_also_an_officer_changes_only_in_their_department(
    officer_a: Employee, learner_a: Employee, learner_b: Employee
) -> None:
    t.grant(officer_a.user, Role.AUDITOR)
    access = access_for(User.objects.get(pk=officer_a.user.pk))

    assert access.can_on_employee(Perm.PEOPLE_VIEW, learner_b)
    assert access.can_on_employee(Perm.PEOPLE_CHANGE, learner_a)
    assert not access.can_on_employee(Perm.PEOPLE_CHANGE, learner_b)


def test_hr_integration_imports_but_cannot_manage_roles_or_read_audit(hr_system: User) -> None:
    access = access_for(hr_system)

    assert access.can(Perm.PEOPLE_IMPORT)
    assert access.can(Perm.PEOPLE_CHANGE)
    assert not access.can(Perm.ROLES_MANAGE)
    assert not access.can(Perm.AUDIT_VIEW)


def test_only_state_admin_manages_roles(admin: User, auditor: User, officer_a: Employee) -> None:
    assert access_for(admin).can(Perm.ROLES_MANAGE)
    assert not access_for(auditor).can(Perm.ROLES_MANAGE)
    assert not access_for(officer_a.user).can(Perm.ROLES_MANAGE)


def test_coordinator_has_no_say_over_people(coordinator: Employee, learner_a: Employee) -> None:
    access = access_for(coordinator.user)

    assert access.providers
    assert not access.can(Perm.PEOPLE_VIEW)
    assert visible(coordinator.user) == {coordinator.pk}


def test_deactivated_account_has_no_access(officer_a: Employee) -> None:
    user = officer_a.user
    user.is_active = False
    user.save()

    assert access_for(User.objects.get(pk=user.pk)).perms == frozenset()
