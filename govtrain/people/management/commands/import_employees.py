"""`govtrain import_employees FILE [--apply]`: the HR export, from the command line."""

from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from govtrain.accounts.models import User
from govtrain.people.models import ImportJob
from govtrain.people.services.imports import import_run


class Command(BaseCommand):
    help = "Import employees from a CSV or XLSX export. A dry run unless --apply is given."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--apply", action="store_true", help="Write the changes.")
        parser.add_argument("--by", help="Username recorded as the actor in the audit trail.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.suffix.lower() not in {".csv", ".xlsx"}:
            raise CommandError("The file must be .csv or .xlsx.")
        actor = None
        if options["by"]:
            actor = User.objects.filter(username=options["by"]).first()
            if actor is None:
                raise CommandError(f"No user {options['by']}")
        with path.open("rb") as f:
            job = ImportJob(created_by=actor, original_name=path.name, dry_run=not options["apply"])
            job.file.save(path.name, File(f), save=False)
            job.save()
        job = self._run(job, show=not options["no_progress"] and options["verbosity"] > 0)
        self.stdout.write(
            f"{job.get_status_display()}: {job.created_count} new, {job.updated_count} changed, "
            f"{job.unchanged_count} unchanged, {job.error_count} errors. {job.message}"
        )
        for error in job.errors_preview[:20]:
            self.stdout.write(f"  row {error['row']} {error['column']}: {error['message']}")
        if job.error_report:
            self.stdout.write(f"Full error report: {job.error_report.path}")
        if job.status != ImportJob.Status.SUCCEEDED:
            raise CommandError(job.message)

    def _run(self, job: ImportJob, *, show: bool) -> ImportJob:
        bars: dict[str, Any] = {}

        def progress(phase: str, processed: int, total: int) -> None:
            if not show:
                return
            bar = bars.get(phase)
            if bar is None:
                for other in bars.values():
                    other.close()
                label = {"validating": "checking", "applying": "saving"}.get(phase, phase)
                bar = bars[phase] = tqdm(total=total, desc=label, unit=" rows")
            bar.update(processed - bar.n)

        try:
            return import_run(job=job, on_progress=progress)
        finally:
            for bar in bars.values():
                bar.close()
