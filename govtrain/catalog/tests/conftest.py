from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from govtrain import testing as t
from govtrain.accounts.models import User
from govtrain.catalog import selectors
from govtrain.catalog.models import Course
from govtrain.catalog.selectors import CatalogFilters


@pytest.fixture
def rti(db: None) -> Course:
    return t.make_course(
        "IMG-RTI",
        title_en="RTI for public information officers",
        title_ml="പബ്ലിക് ഇൻഫർമേഷൻ ഓഫീസർമാർക്ക് വിവരാവകാശ നിയമം",
        summary_en="The Right to Information Act, 2005: requests, appeals and time limits.",
        summary_ml="വിവരാവകാശ നിയമം, 2005: അപേക്ഷകൾ, അപ്പീലുകൾ, സമയപരിധി.",
    )


@pytest.fixture
def noting(db: None) -> Course:
    return t.make_course(
        "IMG-NOTE",
        title_en="Noting and drafting in Malayalam",
        title_ml="മലയാളത്തിൽ കുറിപ്പും കരടും തയ്യാറാക്കൽ",
        summary_en="Files, notes and drafts; replies to information requests.",
    )


def _codes(q: str = "", *, user: User | None = None, **filters: Any) -> list[str]:
    courses = selectors.courses_search(
        user=user or AnonymousUser(),
        filters=CatalogFilters(q=q, **filters),
        today=timezone.localdate(),
    )
    return [c.code for c in courses]


@pytest.fixture
def find(db: None) -> Callable[..., list[str]]:
    """`find(q, user=..., **filters)`: the codes the catalog lists, in order."""
    return _codes


@pytest.fixture
def layout_queries(client: Client) -> Callable[[], int]:
    """`layout_queries()`: what any page of the logged-in client reads for the layout (the
    user, their access, the navigation), so that tests count only a page's own queries."""

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("core:privacy"))
        return len(queries)

    return count
