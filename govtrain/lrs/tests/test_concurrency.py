import threading
import uuid

import pytest
from django.db import connection

from govtrain.lrs import services
from govtrain.lrs.models import Statement
from govtrain.lrs.tests.test_statements import make_statement


# The test run's SQLite is an in-memory database in shared-cache mode, whose table locks
# fail at once instead of waiting; a served SQLite file (WAL, IMMEDIATE transactions)
# lets the second writer wait and then find the first's statement.
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a second real connection")
@pytest.mark.django_db(transaction=True)
def test_two_writers_racing_for_one_id_store_one_statement_and_one_gets_a_conflict() -> None:
    statement_id = str(uuid.uuid4())
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def write(score: float) -> None:
        start.wait()
        try:
            services.statements_store(
                statements=[make_statement(id=statement_id, result={"score": {"scaled": score}})],
                client=None,
                version="1.0.3",
            )
            outcomes.append("stored")
        except services.Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(s,)) for s in (0.5, 0.9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["conflict", "stored"]
    assert Statement.objects.filter(statement_id=statement_id).count() == 1
