"""Certificates at state scale (issue #5): signing, PDFs, verification, and issuing the
certificates of 100,000 completions (bench/certificates_steps.py).

- credentials_signed_per_s: credentials built and signed per second in one process, as a
  bulk issue signs them (eddsa-rdfc-2022: RDF canonicalization, SHA-256, Ed25519);
  baseline, Ed25519 signatures per second over the same credentials' JSON bytes.
- certificate_pdf_p50_ms / _p95_ms: rendering one certificate PDF (English and Malayalam,
  the font embedded and shaped, the QR code); baseline, a one-page PDF of the same text in
  a core font.
- credential_verify_p95_ms: verifying an issued credential as the verification page does
  (canonicalization, the signature, the key's status, the status list); baseline, an
  Ed25519 verification of its bytes.
- issue_100k_certificates_s: wall time for the certificates of --certificates completions
  (100,000) issued through the service by two processes at once (the web's two workers or
  two Celery workers would share them the same way), from their start to the last one's
  exit; baseline, inserting as many certificate rows with a prebuilt credential into a
  plain copy of the table in chunks of 200.
"""

from __future__ import annotations

import json
import subprocess
import time
from typing import Any

from bench.common import (
    PYTHON,
    REPO,
    WORK,
    BenchError,
    Database,
    Record,
    run_checked,
    say,
    step_json,
)

SIGN_COUNT = 500
PDF_COUNT = 200
VERIFY_COUNT = 300
PROCESSES = 2
ISSUE_STEP = (PYTHON, "-m", "bench.certificates_steps", "issue")


def _step(db: Database, name: str, *args: str, what: str) -> dict[str, Any]:
    return step_json(
        run_checked(
            [PYTHON, "-m", "bench.certificates_steps", name, *args],
            env=db.env(),
            log=WORK / "logs" / db.name / f"certificates-{name}",
            what=what,
            timeout=3 * 3600,
        )
    )


def measure_certificates(db: Database, *, completions: int) -> tuple[list[Record], dict[str, Any]]:
    say(f"{db.name}: {completions:,} completed enrolments to certify")
    prepared = _step(db, "prepare", "--completions", str(completions), what="preparing")
    rows = int(prepared["completions"])
    say(f"{db.name}: signing {SIGN_COUNT} credentials")
    signed = _step(db, "sign", "--count", str(SIGN_COUNT), what="signing")
    say(f"{db.name}: issuing the certificates of {rows:,} completions, {PROCESSES} processes")
    logs = WORK / "logs" / db.name
    outputs = [logs / f"certificates-issue-{part}" for part in range(PROCESSES)]
    handles = [(o.with_suffix(".out").open("w"), o.with_suffix(".err").open("w")) for o in outputs]
    started = time.perf_counter()
    processes = [
        subprocess.Popen(  # noqa: S603 - our own argv
            [*ISSUE_STEP, "--part", str(part), "--of", str(PROCESSES)],
            env=db.env(),
            cwd=REPO,
            stdout=out,
            stderr=err,
        )
        for part, (out, err) in enumerate(handles)
    ]
    codes = [p.wait() for p in processes]
    seconds = time.perf_counter() - started
    for out, err in handles:
        out.close()
        err.close()
    if any(codes):
        raise BenchError(f"issuing failed (exit {codes}); see {logs}/certificates-issue-*.err")
    parts = [
        json.loads(o.with_suffix(".out").read_text().strip().splitlines()[-1]) for o in outputs
    ]
    issued = sum(int(p["issued"]) for p in parts)
    say(f"{db.name}: {issued:,} issued in {seconds:.0f} s")
    floor = _step(db, "floor", "--count", str(rows), what="the floor of issuing")
    say(f"{db.name}: verifying {VERIFY_COUNT} credentials, rendering {PDF_COUNT} PDFs")
    verified = _step(db, "verify", "--count", str(VERIFY_COUNT), what="verifying")
    pdfs = _step(db, "pdf", "--count", str(PDF_COUNT), what="rendering PDFs")
    notes = {
        "prepared": prepared,
        "sign": signed,
        "issue": {"seconds": round(seconds, 1), "parts": parts, "issued": issued},
        "floor": floor,
        "verify": verified,
        "pdf": pdfs,
    }
    records = [
        Record.of(
            "credentials_signed_per_s",
            db.name,
            signed["per_s"],
            "credentials/s",
            signed["floor_per_s"],
            rows,
        ),
        Record.of(
            "certificate_pdf_p50_ms", db.name, pdfs["p50_ms"], "ms", pdfs["floor_p50_ms"], rows
        ),
        Record.of(
            "certificate_pdf_p95_ms", db.name, pdfs["p95_ms"], "ms", pdfs["floor_p95_ms"], rows
        ),
        Record.of(
            "credential_verify_p95_ms",
            db.name,
            verified["p95_ms"],
            "ms",
            verified["floor_p95_ms"],
            rows,
        ),
        Record.of("issue_100k_certificates_s", db.name, seconds, "s", floor["seconds"], rows),
    ]
    return records, notes
