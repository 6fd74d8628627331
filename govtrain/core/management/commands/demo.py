"""`govtrain demo`: migrate, load the demo dataset if the database is empty, serve."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from govtrain.demo.accounts import DEMO_PASSWORD, create_demo_logins, demo_learner
from govtrain.demo.generate import build_reference_data
from govtrain.external.demo import build_external_history
from govtrain.learning.demo import build_online_learning
from govtrain.people.models import Employee


class Command(BaseCommand):
    help = "Set up the demo database and serve the platform on http://127.0.0.1:8000."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--scale", choices=["demo", "state"], default="demo")
        parser.add_argument("--no-serve", action="store_true", help="set up, then stop")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if not Employee.objects.exists():
            call_command("seed_demo", scale=options["scale"])
        else:
            build_reference_data()  # reference data added since the database was seeded
            # Lessons and certificates of courses added since; both builders skip what exists.
            build_online_learning(learner=demo_learner())
            build_external_history(learner=demo_learner())
            logins, token = create_demo_logins()
            self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {DEMO_PASSWORD}):"))
            for login in logins:
                self.stdout.write(
                    f"  {login.role:16} {login.username:10} {login.who} — {login.scope}"
                )
            self.stdout.write(f"  HR system API token (spark-sync): {token}")
        if not options["no_serve"]:
            call_command("serve", bind=options["bind"])
