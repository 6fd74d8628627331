"""The HR system sends the state's export; officers find and correct their people; an
auditor can see who did what. Across the API, the pages and the audit trail."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from govtrain.people.models import Employee

pytestmark = pytest.mark.django_db

HEADER = (
    "pen,name_en,name_ml,gender,service_class,cadre,designation,office,"
    "date_of_joining,status,email,phone,controlling_officer_pen\n"
)
EXPORT = HEADER + (
    "8400001,Biju S.,ബിജു എസ്.,M,SS-B,REVS,TAH,REV-TVM,2003-04-01,active,"
    "biju@demo.invalid,,\n"
    "8400002,Meera R.,മീര ആർ.,F,SUB,REVS,CLK,REV-TVM,2019-11-20,active,"
    "meera@demo.invalid,,8400001\n"
    "8400003,Fathima B.,ഫാത്തിമ ബി.,F,SUB,,CLK,HFW-TVM,2020-01-02,active,"
    "fathima@demo.invalid,,\n"
)


def test_export_to_officer_to_auditor(
    client, hr_system, officer_a, officer_b, auditor, references, django_capture_on_commit_callbacks
) -> None:
    # The HR system uploads the export as a dry run, then applies it.
    hr = APIClient()
    hr.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=hr_system).key}")
    with django_capture_on_commit_callbacks(execute=True):
        queued = hr.post(
            "/api/v1/imports/",
            {"file": SimpleUploadedFile("e.csv", EXPORT.encode())},
            format="multipart",
        ).json()
    dry = hr.get(f"/api/v1/imports/{queued['id']}/").json()
    assert dry["dry_run"] is True
    assert dry["created_count"] == 3
    assert not Employee.objects.filter(pen__startswith="84").exists()
    with django_capture_on_commit_callbacks(execute=True):
        hr.post(f"/api/v1/imports/{dry['id']}/apply/")
    assert Employee.objects.filter(pen__startswith="84").count() == 3

    # The new clerk activates her login from the e-mailed link.
    client.post(reverse("accounts:password-reset"), {"email": "meera@demo.invalid"})
    assert mail.outbox[0].to == ["meera@demo.invalid"]

    # Revenue's nodal officer finds Meera (and not Health's Fathima) and fixes her phone.
    client.force_login(officer_a.user)
    found = client.get(reverse("people:employee-list"), {"q": "m"}).context["page"]
    assert [e.pen for e in found] == ["8400002"]
    assert not client.get(reverse("people:employee-list"), {"q": "fathima"}).context["page"]
    meera = Employee.objects.get(pen="8400002")
    assert meera.controlling_officer.pen == "8400001"
    client.post(
        reverse("people:employee-edit", args=[meera.pk]),
        {
            "name_en": meera.name_en,
            "name_ml": meera.name_ml,
            "gender": "F",
            "service_class": meera.service_class_id,
            "cadre": meera.cadre_id,
            "designation": meera.designation_id,
            "office": "REV-TVM",
            "date_of_joining": "2019-11-20",
            "status": "active",
            "email": meera.email,
            "phone": "+91 9400011111",
            "controlling_officer": "8400001",
            "reason": "Phone missing in the export",
        },
    )

    # Health's nodal officer cannot even see her.
    client.force_login(officer_b.user)
    assert client.get(reverse("people:employee-detail", args=[meera.pk])).status_code == 404

    # The auditor reads the whole story in the trail.
    client.force_login(auditor)
    actions = [e.action for e in client.get(reverse("audit:event-list")).context["page"]]
    assert actions == ["employee.updated", "employees.imported"]
