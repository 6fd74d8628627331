import pytest
from django.urls import reverse

from govtrain.people import services

pytestmark = pytest.mark.django_db


def test_auditor_reads_the_trail_of_an_officers_change(
    client, auditor, officer_a, learner_a
) -> None:
    services.employee_update(employee=learner_a, by=officer_a.user, phone="+91 9400000009")
    client.force_login(auditor)

    response = client.get(reverse("audit:event-list"), {"action": "employee."})

    events = list(response.context["page"])
    assert [e.action for e in events] == ["employee.updated"]
    assert events[0].after == {"phone": "+91 9400000009"}


@pytest.mark.parametrize("who", ["officer_a", "learner_a", "hr_system"])
def test_the_trail_is_closed_to_everyone_else(client, request, who) -> None:
    person = request.getfixturevalue(who)
    client.force_login(getattr(person, "user", person))

    assert client.get(reverse("audit:event-list")).status_code == 403
