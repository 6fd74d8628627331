"""`govtrain bench`: the state-scale benchmarks (bench/run.py), arguments passed through.

`govtrain bench --help` lists them. The benchmarks live outside the application package,
in bench/ at the top of the repository, and run in their own processes.
"""

import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the state-scale benchmarks (bench/README.md); options go to bench/run.py."

    def run_from_argv(self, argv: list[str]) -> None:
        # Django's parser would refuse bench/run.py's options: hand them over untouched.
        sys.exit(self._run(argv[2:]))

    def handle(self, *args: Any, **options: Any) -> None:
        code = self._run([str(a) for a in args])
        if code:
            raise CommandError(f"The benchmarks failed (exit {code}).")

    def _run(self, arguments: list[str]) -> int:
        runner = settings.BASE_DIR / "bench" / "run.py"
        if not runner.is_file():
            raise CommandError(f"{runner} is missing: run from a checkout of the repository.")
        return subprocess.call(  # noqa: S603 - the venv's python on our own script
            [sys.executable, "-m", "bench.run", *arguments], cwd=settings.BASE_DIR
        )
