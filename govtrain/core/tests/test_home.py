"""Each role's home page shows what they look after."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from govtrain import testing as t
from govtrain.records.models import Enrolment

pytestmark = pytest.mark.django_db


def test_learner_sees_hours_and_recent_completions_on_home(client, learner_a) -> None:
    Enrolment.objects.create(
        employee=learner_a,
        course=t.make_course("IMG-RTI", title_en="RTI for officers"),
        status="completed",
        completed_on=timezone.localdate(),
        hours_credited=Decimal("12"),
    )
    client.force_login(learner_a.user)

    page = client.get(reverse("core:home")).content.decode()

    assert "RTI for officers" in page
    assert "12 hours in all" in page


def test_a_learner_without_training_is_told_so(client, learner_a) -> None:
    client.force_login(learner_a.user)

    page = client.get(reverse("core:home")).content.decode()

    assert "No training has been recorded for you yet" in page
