"""`govtrain serve`: the web server (WSGI, gunicorn) and a background worker together.

WSGI because it measured 3,300-6,900 req/s for a trivial view on these machines against
~600 over ASGI. The worker runs Celery on the configured broker (a SQLite file in the
embedded mode, Redis or RabbitMQ at scale).
"""

import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the platform: gunicorn (WSGI) plus a Celery worker, stopped together."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
        parser.add_argument("--threads", type=int, default=4, help="threads per process")
        parser.add_argument("--no-worker", action="store_true", help="web server only")

    def handle(self, *args: Any, **options: Any) -> None:
        commands = [
            [
                sys.executable,
                "-m",
                "gunicorn",
                "govtrain.wsgi:application",
                "--bind",
                options["bind"],
                "--workers",
                str(options["workers"]),
                "--threads",
                str(options["threads"]),
                "--access-logfile",
                "-",
                "--forwarded-allow-ips",
                "127.0.0.1",
            ]
        ]
        if not options["no_worker"]:
            commands.append(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "govtrain",
                    "worker",
                    "--pool",
                    "threads",
                    "--concurrency",
                    "2",
                    "--loglevel",
                    "INFO",
                ]
            )
        processes = [subprocess.Popen(command) for command in commands]  # noqa: S603 - our own fixed argv
        self.stdout.write(
            self.style.SUCCESS(
                f"govtrain is serving on http://{options['bind']}/ (Ctrl-C stops it)"
            )
        )
        stopping = False

        def stop(*_: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(p.poll() is None for p in processes):
                time.sleep(0.5)
        finally:
            for p in processes:
                if p.poll() is None:
                    p.terminate()
            for p in processes:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
