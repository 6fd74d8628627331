"""`govtrain seed_demo`: the demo organisation, people and logins, a year of classroom
training, online courses with learners' progress and external courses' certificates.
Safe to run again."""

from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from govtrain.assessments.demo import build_assessments
from govtrain.certificates.demo import build_certificates
from govtrain.demo.accounts import DEMO_PASSWORD, create_demo_logins, demo_learner
from govtrain.demo.generate import build_offices, build_reference_data, write_employees_csv
from govtrain.demo.training import build_training_year
from govtrain.external.demo import build_external_history
from govtrain.learning.demo import build_online_learning
from govtrain.people.models import ImportJob
from govtrain.people.services.imports import import_run

SCALES = {"demo": 5_000, "state": 500_000}


class Command(BaseCommand):
    help = "Load the synthetic demo dataset (about 5,000 employees; --scale state for 500,000)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
        parser.add_argument("--employees", type=int, help="Exact number of employees.")

    def handle(self, *args: Any, **options: Any) -> None:
        target = options["employees"] or SCALES[options["scale"]]
        self.stdout.write("Building districts, local bodies, departments and offices…")
        build_reference_data()
        plan = build_offices()
        path = settings.VAR_DIR / "demo" / f"employees-{target}.csv"
        written = write_employees_csv(path, plan, target)
        self.stdout.write(f"Wrote {written} employees to {path}; importing…")
        with path.open("rb") as f:
            job = ImportJob(original_name=path.name, dry_run=False)
            job.file.save(path.name, File(f), save=False)
            job.save()
        bars: dict[str, Any] = {}

        def progress(phase: str, done: int, total: int) -> None:
            bar = bars.get(phase) or bars.setdefault(
                phase, tqdm(total=total, desc=phase, unit=" rows", leave=False)
            )
            bar.update(done - bar.n)

        job = import_run(job=job, on_progress=progress)
        for bar in bars.values():
            bar.close()
        self.stdout.write(
            f"Import: {job.created_count} new, {job.updated_count} changed, "
            f"{job.unchanged_count} unchanged, {job.error_count} errors."
        )
        if job.error_count:
            for e in job.errors_preview[:10]:
                self.stderr.write(str(e))
        logins, token = create_demo_logins()
        self.stdout.write("Scheduling a year of classroom programmes…")
        year = build_training_year()
        self.stdout.write(
            f"Training: {year.batches} batches, {year.nominations} nominations, "
            f"{year.marks} attendance marks, {year.feedback} feedback forms, "
            f"{year.completions} completions."
        )
        learner = demo_learner()
        self.stdout.write("Writing online lessons and learners' progress…")
        online = build_online_learning(learner=learner)
        self.stdout.write(
            f"Online learning: {online.courses} courses outlined with {online.lessons} lessons, "
            f"{online.enrolled} enrolments, {online.completed} completed."
        )
        quiz = build_assessments(learner=learner)
        self.stdout.write(
            f"Assessments: {quiz.banks} question banks with {quiz.questions} questions, "
            f"{quiz.quizzes} quizzes, {quiz.attempts} attempts, {quiz.waiting} essays to grade."
        )
        external = build_external_history(learner=learner)
        self.stdout.write(
            f"External courses: {external.links} links, {external.verified} certificates "
            f"verified, {external.rejected} rejected, {external.awaiting} awaiting verification."
        )
        self.stdout.write("Issuing signed certificates for the completions…")
        issued = build_certificates()
        self.stdout.write(
            f"Certificates: {issued.issued} issued, {issued.revoked} revoked"
            + (", IMG's key rotated half-way." if issued.rotated else ".")
        )
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {DEMO_PASSWORD}):"))
        for login in logins:
            self.stdout.write(f"  {login.role:16} {login.username:10} {login.who} — {login.scope}")
        self.stdout.write(f"  HR system API token (spark-sync): {token}")
