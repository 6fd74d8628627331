"""Officers correct employee records in their part of the organisation; each change is audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from govtrain import testing as t
from govtrain.audit.models import AuditEvent
from govtrain.people import services
from govtrain.people.models import Employee

pytestmark = pytest.mark.django_db


def form_data(employee: Employee, **changes: object) -> dict[str, object]:
    data = {
        "name_en": employee.name_en,
        "name_ml": employee.name_ml,
        "gender": employee.gender,
        "service_class": employee.service_class_id,
        "cadre": "",
        "designation": employee.designation_id,
        "office": employee.office.code,
        "date_of_joining": "",
        "status": employee.status,
        "email": employee.email,
        "phone": employee.phone,
        "controlling_officer": "",
        "reason": "",
    }
    data.update(changes)
    return data


def test_officer_corrects_an_email_and_the_trail_shows_before_and_after(
    client, officer_a, learner_a
) -> None:
    client.force_login(officer_a.user)

    response = client.post(
        reverse("people:employee-edit", args=[learner_a.pk]),
        form_data(learner_a, email="anitha.k@demo.invalid", reason="Typo in the HR export"),
    )

    assert response.status_code == 302
    learner_a.refresh_from_db()
    assert learner_a.email == "anitha.k@demo.invalid"
    event = AuditEvent.objects.get(action="employee.updated")
    assert event.actor == officer_a.user
    assert event.before == {"email": ""}
    assert event.after == {"email": "anitha.k@demo.invalid"}
    assert event.reason == "Typo in the HR export"


def test_officer_cannot_move_an_employee_out_of_their_department(
    client, officer_a, learner_a, office_b
) -> None:
    client.force_login(officer_a.user)

    response = client.post(
        reverse("people:employee-edit", args=[learner_a.pk]),
        form_data(learner_a, office=office_b.code),
    )

    assert response.status_code == 400
    learner_a.refresh_from_db()
    assert learner_a.office.code == "REV-TVM"
    assert not AuditEvent.objects.exists()


def test_officer_of_another_department_gets_404_and_nothing_changes(
    client, officer_b, learner_a
) -> None:
    client.force_login(officer_b.user)

    response = client.post(
        reverse("people:employee-edit", args=[learner_a.pk]),
        form_data(learner_a, name_en="Changed"),
    )

    assert response.status_code == 404
    learner_a.refresh_from_db()
    assert learner_a.name_en == "Anitha K."


def test_auditor_sees_but_cannot_edit(client, auditor, learner_a) -> None:
    client.force_login(auditor)

    page = client.get(reverse("people:employee-detail", args=[learner_a.pk]))
    edit = client.get(reverse("people:employee-edit", args=[learner_a.pk]))

    assert page.status_code == 200
    assert "Change history" in page.content.decode()
    assert edit.status_code == 404


def test_bad_input_is_refused_with_a_message_and_nothing_changes(
    client, officer_a, learner_a
) -> None:
    client.force_login(officer_a.user)

    response = client.post(
        reverse("people:employee-edit", args=[learner_a.pk]),
        form_data(learner_a, email="not-an-email", phone="call me"),
    )

    assert response.status_code == 400
    assert response.context["form"].errors.keys() >= {"email", "phone"}
    learner_a.refresh_from_db()
    assert learner_a.email == ""


def test_an_employee_cannot_be_their_own_controlling_officer(officer_a, learner_a) -> None:
    with pytest.raises(ValidationError):
        services.employee_update(
            employee=learner_a, by=officer_a.user, controlling_officer=learner_a
        )


def test_retiring_an_employee_closes_their_login(officer_a, learner_a) -> None:
    services.employee_update(employee=learner_a, by=officer_a.user, status=Employee.Status.RETIRED)

    learner_a.user.refresh_from_db()
    assert not learner_a.user.is_active


def test_officer_registers_a_new_employee_with_a_login(officer_a, office_a) -> None:
    employee = services.employee_create(
        by=officer_a.user,
        pen="8300001",
        name_en="Meera R.",
        name_ml="മീര ആർ.",
        service_class=t.make_service_class(),
        designation=t.make_designation(),
        office=office_a,
    )

    assert employee.user.username == "8300001"
    assert not employee.user.has_usable_password()
    assert AuditEvent.objects.get(action="employee.created").after["pen"] == "8300001"


def test_officer_cannot_register_someone_in_another_department(officer_a, office_b) -> None:
    with pytest.raises(PermissionDenied):
        services.employee_create(
            by=officer_a.user,
            pen="8300002",
            name_en="Outsider",
            service_class=t.make_service_class(),
            designation=t.make_designation(),
            office=office_b,
        )

    assert not Employee.objects.filter(pen="8300002").exists()


def test_edit_form_shows_office_code_and_officer_pen_not_ids(client, officer_a, learner_a) -> None:
    learner_a.controlling_officer = officer_a
    learner_a.save()
    client.force_login(officer_a.user)

    form = client.get(reverse("people:employee-edit", args=[learner_a.pk])).context["form"]

    assert form["office"].value() == "REV-TVM"
    assert form["controlling_officer"].value() == officer_a.pen
