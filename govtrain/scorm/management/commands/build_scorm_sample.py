"""`govtrain build_scorm_sample 2004 out.zip`: write a sample SCORM package to a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from govtrain.scorm import samples


class Command(BaseCommand):
    help = "Write the sample SCORM 1.2 or 2004 package (built from govtrain/scorm/samples/src)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("version", choices=sorted(samples.MANIFESTS))
        parser.add_argument("output", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        data = samples.build(options["version"])
        options["output"].write_bytes(data)
        self.stdout.write(f"{options['output']}: {len(data)} bytes")
