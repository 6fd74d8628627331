"""A stranger verifies a certificate: genuine, tampered, revoked, expired, another
issuer's, a retired key's, a revoked key's; online, offline, and over the VC API."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from govtrain.accounts.models import User
from govtrain.certificates import dataintegrity, verification
from govtrain.certificates.models import Certificate, IssuerKey
from govtrain.certificates.services import issuing, keys, revoking, status
from govtrain.records.models import Enrolment


@pytest.fixture
def certificate(completion: Enrolment) -> Certificate:
    return issuing.certificate_issue(enrolment=completion, by=None)


def document_of(certificate: Certificate) -> dict[str, Any]:
    return verification.parse(certificate.credential)


def failed(result: verification.Verification) -> dict[str, str]:
    return {c.name: c.message for c in result.checks if not c.ok}


def test_a_genuine_certificate_passes_every_check(certificate: Certificate) -> None:
    result = verification.verify(document_of(certificate))

    assert result.valid
    assert [c.name for c in result.checks] == ["form", "issuer", "signature", "dates", "status"]
    assert result.certificate == certificate
    assert result.recipient == certificate.recipient_en
    assert result.achievement == certificate.course_en


def test_a_changed_word_is_found_out(certificate: Certificate) -> None:
    document = document_of(certificate)
    document["credentialSubject"]["achievement"]["name"] = "Leadership development"

    result = verification.verify(document)

    assert not result.valid
    assert "changed after it was signed" in failed(result)["signature"]


def test_a_revoked_certificate_fails_with_the_date_and_reason(
    certificate: Certificate, admin: User
) -> None:
    revoking.certificate_revoke(certificate=certificate, by=admin, reason="Issued by mistake")

    result = verification.verify(document_of(certificate))

    assert not result.valid
    assert "Issued by mistake" in failed(result)["status"]
    assert "signature" not in failed(result)


def test_an_expired_or_future_credential_fails_on_its_dates(certificate: Certificate) -> None:
    document = document_of(certificate)

    later = verification.verify(document, now=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))

    assert "not valid before" in failed(later)["dates"]


def test_another_issuer_is_not_trusted(certificate: Certificate) -> None:
    document = document_of(certificate)
    document["issuer"]["id"] = "did:web:evil.example:issuers:IMG"

    result = verification.verify(document)

    assert "not an institute of this platform" in failed(result)["issuer"]


def test_a_retired_key_keeps_verifying_and_a_revoked_one_does_not(
    certificate: Certificate, admin: User
) -> None:
    keys.key_rotate(provider=certificate.provider, by=admin)
    assert verification.verify(document_of(certificate)).valid

    keys.key_revoke(key=certificate.key, by=admin, reason="The laptop was stolen")

    result = verification.verify(document_of(certificate))
    assert "The laptop was stolen" in failed(result)["signature"]
    assert IssuerKey.objects.filter(status=IssuerKey.Status.ACTIVE).count() == 1


def test_malformed_input_is_refused_with_a_message() -> None:
    with pytest.raises(ValueError, match="not JSON"):
        verification.parse("{not json")
    with pytest.raises(ValueError, match="JSON object"):
        verification.parse("[1, 2]")
    result = verification.verify({"@context": ["https://example.org"], "type": ["Thing"]})
    assert "Verifiable Credential" in failed(result)["form"]


def test_offline_verification_needs_only_the_public_key_and_the_status_list(
    certificate: Certificate, admin: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    credential_file = tmp_path / "certificate.json"
    credential_file.write_text(certificate.credential)
    list_file = tmp_path / "status.json"
    list_file.write_text(status.signed_list(status_list=certificate.status_list))
    key = certificate.key.public_key

    call_command(
        "verify_credential", str(credential_file), "--key", key, "--status-list", str(list_file)
    )

    assert "VERIFIED" in capsys.readouterr().out
    revoking.certificate_revoke(certificate=certificate, by=admin, reason="Mistake")
    list_file.write_text(status.signed_list(status_list=certificate.status_list))
    with pytest.raises(SystemExit) as exit_status:
        call_command(
            "verify_credential", str(credential_file), "--key", key, "--status-list", str(list_file)
        )
    assert exit_status.value.code == 1
    assert "revoked" in capsys.readouterr().out
    other = dataintegrity.public_key_multibase(
        dataintegrity.secret_key_from_multibase(
            "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
        ).public_key()
    )
    result = verification.verify_offline(document_of(certificate), public_key=other)
    assert not result.valid


def test_the_vc_api_verifies_for_anyone(certificate: Certificate, client: Client) -> None:
    ok = client.post(
        "/credentials/verify",
        json.dumps({"verifiableCredential": document_of(certificate)}),
        content_type="application/json",
    )
    tampered = document_of(certificate)
    tampered["name"] = "Something else"
    bad = client.post(
        "/credentials/verify",
        json.dumps({"verifiableCredential": tampered}),
        content_type="application/json",
    )
    nonsense = client.post("/credentials/verify", "nope", content_type="application/json")

    assert ok.status_code == 200
    assert ok.json()["verified"] is True
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["check"] == "signature"
    assert nonsense.status_code == 400


def test_the_did_document_lists_every_key_and_the_status_list_is_signed(
    certificate: Certificate, client: Client, admin: User
) -> None:
    keys.key_rotate(provider=certificate.provider, by=admin)

    did = client.get("/issuers/IMG/did.json").json()
    signed = json.loads(
        client.get(f"/credentials/status/IMG/{certificate.status_list.number}").content
    )

    assert [m["id"].split("#")[1] for m in did["verificationMethod"]] == ["key-2", "key-1"]
    assert certificate.key.public_key in {
        m["publicKeyMultibase"] for m in did["verificationMethod"]
    }
    dataintegrity.verify(
        signed,
        key=dataintegrity.public_key_from_multibase(
            did["verificationMethod"][0]["publicKeyMultibase"]
        ),
    )
    assert signed["credentialSubject"]["type"] == "BitstringStatusList"
