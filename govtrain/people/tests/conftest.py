from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from govtrain.people.models import ImportJob

HEADER = (
    "pen,name_en,name_ml,gender,service_class,cadre,designation,office,"
    "date_of_joining,status,email,phone,controlling_officer_pen\n"
)


@pytest.fixture
def hr_file(tmp_path: Path) -> Callable[..., Path]:
    def write(body: str | bytes, name: str = "export.csv") -> Path:
        path = tmp_path / name
        if isinstance(body, str):
            path.write_text(HEADER + body, encoding="utf-8")
        else:
            path.write_bytes(body)
        return path

    return write


@pytest.fixture
def run_file(admin: Any) -> Callable[..., ImportJob]:
    from django.core.files import File

    from govtrain.people.services.imports import import_run

    def run(path: Path, *, dry_run: bool = False) -> ImportJob:
        with path.open("rb") as f:
            job = ImportJob(created_by=admin, original_name=path.name, dry_run=dry_run)
            job.file.save(path.name, File(f), save=False)
            job.save()
        return import_run(job=job)

    return run
