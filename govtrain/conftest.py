"""The fixed cast of every test (STYLE.md section 6).

Department A (Revenue) and Department B (Health), each with an office in
Thiruvananthapuram; `officer_a` looks after A, `officer_b` after B and sees nothing of A.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from govtrain import testing as t
from govtrain.accounts.models import Role, User
from govtrain.organisation.models import Department, Office
from govtrain.people.models import Cadre, Employee


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Cached pages (the catalog's) must not outlive the test data they were made from."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def department_a(db: None) -> Department:
    return t.make_department("REV", "Revenue")


@pytest.fixture
def department_b(db: None) -> Department:
    return t.make_department("HFW", "Health")


@pytest.fixture
def office_a(department_a: Department) -> Office:
    return t.make_office("REV-TVM", department=department_a)


@pytest.fixture
def office_b(department_b: Department) -> Office:
    return t.make_office("HFW-TVM", department=department_b)


@pytest.fixture
def learner_a(office_a: Office) -> Employee:
    return t.make_employee(office_a, name="Anitha K.", name_ml="അനിത കെ.")


@pytest.fixture
def learner_b(office_b: Office) -> Employee:
    return t.make_employee(office_b, name="Biju S.", name_ml="ബിജു എസ്.")


@pytest.fixture
def officer_a(office_a: Office, department_a: Department) -> Employee:
    officer = t.make_employee(office_a, name="Rajesh M.", name_ml="രാജേഷ് എം.")
    assert officer.user is not None
    t.grant(officer.user, Role.NODAL_OFFICER, department=department_a)
    return officer


@pytest.fixture
def officer_b(office_b: Office, department_b: Department) -> Employee:
    officer = t.make_employee(office_b, name="Sreeja P.", name_ml="ശ്രീജ പി.")
    assert officer.user is not None
    t.grant(officer.user, Role.NODAL_OFFICER, department=department_b)
    return officer


@pytest.fixture
def coordinator(office_a: Office) -> Employee:
    employee = t.make_employee(office_a, name="Arun V.")
    assert employee.user is not None
    t.grant(employee.user, Role.COORDINATOR, provider=t.make_provider("IMG"))
    return employee


@pytest.fixture
def admin(db: None) -> User:
    user = User.objects.create_user(username="stateadmin", password=t.PASSWORD, is_staff=True)
    t.grant(user, Role.STATE_ADMIN)
    return user


@pytest.fixture
def auditor(db: None) -> User:
    user = User.objects.create_user(username="auditor", password=t.PASSWORD)
    t.grant(user, Role.AUDITOR)
    return user


@pytest.fixture
def hr_system(db: None) -> User:
    user = User.objects.create_user(username="spark-sync")
    t.grant(user, Role.HR_INTEGRATION)
    return user


@pytest.fixture
def references(office_a: Office, office_b: Office) -> None:
    """The codes an HR export refers to: classes, designations, a cadre."""
    t.make_service_class("SUB", "C")
    t.make_service_class("SS-B", "B")
    t.make_designation("CLK", "Clerk")
    t.make_designation("TAH", "Tahsildar")
    Cadre.objects.create(code="REVS", name_en="Revenue Service")


@pytest.fixture(autouse=True)
def _english_between_tests() -> Iterator[None]:
    """A request in Malayalam leaves the thread's language switched (LocaleMiddleware and
    UserLanguageMiddleware activate it per request and nothing resets it in tests), so
    every test starts and ends in the default language."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
