import json
import uuid

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from govtrain.lrs import selectors, services
from govtrain.lrs.models import Statement
from govtrain.people.models import Employee


def test_the_platform_records_a_completion_as_the_employee_with_itself_as_authority(
    learner_a: Employee,
) -> None:
    statement_id = services.statement_record(
        employee=learner_a,
        verb="completed",
        activity_id=services.activity_iri("course", "RTI-01"),
        activity_name="Right to Information",
        result={"completion": True, "score": {"scaled": 0.9}},
    )

    stored = json.loads(Statement.objects.get(statement_id=statement_id).body)
    assert stored["actor"]["account"] == {"homePage": settings.SITE_URL, "name": learner_a.pen}
    assert stored["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
    assert stored["authority"]["account"]["name"] == "govtrain"
    assert stored["object"]["id"].endswith("/xapi/activities/course/RTI-01")


def test_platform_statements_are_found_by_the_employees_agent(learner_a: Employee) -> None:
    services.statement_record(employee=learner_a, verb="launched", activity_id="https://e.org/a")

    rows = selectors.statements_matching(
        selectors.StatementFilter(agent=services.agent_for(learner_a))
    )

    assert len(rows) == 1


def test_a_malformed_platform_statement_raises_and_writes_nothing(learner_a: Employee) -> None:
    with pytest.raises(ValidationError):
        services.statement_record(
            employee=learner_a,
            verb="passed",
            activity_id="not an iri",
        )

    assert not Statement.objects.exists()


def test_statements_record_stores_a_batch_with_given_ids(learner_a: Employee) -> None:
    ids = [uuid.uuid4(), uuid.uuid4()]
    actor = services.agent_for(learner_a)

    stored = services.statements_record(
        statements=[
            {
                "id": str(i),
                "actor": actor,
                "verb": {"id": services.VERBS["progressed"]},
                "object": {"id": "https://e.org/sco"},
            }
            for i in ids
        ]
    )

    assert stored == ids
    assert Statement.objects.filter(client=None).count() == 2
