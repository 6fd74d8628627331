"""`govtrain verify_credential FILE --key z6Mk…`: verify a certificate's credential away from
the platform, with the issuer's public key alone (and its status list file, to check
revocation). Exit status 0 when it verifies, 1 when it does not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govtrain.certificates.verification import parse, verify_offline


class Command(BaseCommand):
    help = "Verify a credential file offline with the issuer's public key (multibase)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("credential", type=Path, help="the credential (JSON) to verify")
        parser.add_argument(
            "--key",
            required=True,
            help="the issuer's public key, publicKeyMultibase from its DID document (z6Mk…)",
        )
        parser.add_argument(
            "--status-list",
            type=Path,
            help="the issuer's status list credential (JSON), to check revocation",
        )
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            document = parse(options["credential"].read_bytes())
            status_list = (
                parse(options["status_list"].read_bytes()) if options["status_list"] else None
            )
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        result = verify_offline(document, public_key=options["key"], status_list=status_list)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "verified": result.valid,
                        "checks": [
                            {"check": c.name, "ok": c.ok, "message": c.message}
                            for c in result.checks
                        ],
                    },
                    ensure_ascii=False,
                )
            )
        else:
            for check in result.checks:
                mark = "ok " if check.ok else "FAILED"
                self.stdout.write(f"{mark} {check.name}: {check.message}")
            self.stdout.write("VERIFIED" if result.valid else "NOT VALID")
        if not result.valid:
            raise SystemExit(1)
