"""Two coordinators verifying two copies of one certificate at the same moment: one
certificate still counts once."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection

from govtrain.external import services
from govtrain.external.models import Evidence
from govtrain.external.tests.conftest import PDF, PNG, last_week, upload

# Like govtrain/lrs/tests/test_concurrency.py: the in-memory SQLite of the test run cannot
# make a second writer wait, so the race needs PostgreSQL.
pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a second real connection"),
    pytest.mark.django_db(transaction=True),
]


def _race(monkeypatch: Any, copies: list[Evidence], by: Any) -> list[str]:
    """Verify each copy in its own thread and connection. Each decision, having looked for
    an accepted copy, waits (up to a second) for the other to have looked too: without a
    lock both look before either has verified."""
    looked = threading.Barrier(len(copies))
    check = services._already_accepted

    def check_then_wait(evidence: Evidence) -> bool:
        accepted = check(evidence)
        # Broken after the second: the other decision waits for this one's lock, as it should.
        with contextlib.suppress(threading.BrokenBarrierError):
            looked.wait(timeout=1)
        return accepted

    monkeypatch.setattr(services, "_already_accepted", check_then_wait)
    outcomes: list[str] = []
    start = threading.Barrier(len(copies))

    def verify(evidence: Evidence) -> None:
        start.wait()
        try:
            services.evidence_verify(evidence=evidence, by=by)
            outcomes.append("verified")
        except ValidationError:
            outcomes.append("refused")
        except IntegrityError:
            outcomes.append("integrity error")
        finally:
            connection.close()

    threads = [threading.Thread(target=verify, args=(e,)) for e in copies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_two_copies_of_one_file_verified_at_once_count_once(
    monkeypatch, learner_a, learner_b, verifier, mooc
) -> None:
    copies = [
        services.evidence_submit(
            course=mooc, by=employee.user, upload=upload(PDF), completed_on=last_week()
        )
        for employee in (learner_a, learner_b)
    ]

    outcomes = _race(monkeypatch, copies, verifier.user)

    assert outcomes == ["refused", "verified"]
    assert Evidence.objects.filter(status=Evidence.Status.VERIFIED).count() == 1


def test_one_certificate_number_verified_twice_at_once_counts_once(
    monkeypatch, learner_a, learner_b, verifier, mooc
) -> None:
    copies = [
        services.evidence_submit(
            course=mooc,
            by=employee.user,
            upload=upload(content),
            completed_on=last_week(),
            certificate_id=number,
        )
        for employee, content, number in (
            (learner_a, PDF, "UNIX-2026-0042"),
            (learner_b, PNG, "unix-2026-0042"),
        )
    ]

    outcomes = _race(monkeypatch, copies, verifier.user)

    assert outcomes == ["refused", "verified"]
    assert Evidence.objects.filter(status=Evidence.Status.VERIFIED).count() == 1
