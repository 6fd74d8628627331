"""eddsa-rdfc-2022 against the published test vectors (vectors/SOURCES.md says where each
file comes from), and the refusals a verifier must make."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from govtrain.certificates import dataintegrity as di
from govtrain.certificates import jsonld

VECTORS = Path(__file__).parent / "vectors"
EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"


def vector(name: str) -> str:
    return (VECTORS / name).read_text(encoding="utf-8")


@pytest.fixture
def w3c_examples_context(monkeypatch: pytest.MonkeyPatch) -> None:
    """The W3C vector uses the examples context, a single @vocab that no npm package
    ships; the platform itself never loads it."""
    held = jsonld.context_document

    def with_examples(url: str) -> dict[str, Any]:
        if url == EXAMPLES_V2:
            return {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}
        return held(url)

    monkeypatch.setattr(jsonld, "context_document", with_examples)


@pytest.mark.usefixtures("w3c_examples_context")
def test_the_w3c_eddsa_rdfc_2022_vector_is_reproduced_byte_for_byte() -> None:
    keys = json.loads(vector("keyPair.json"))
    signed = json.loads(vector("rdfc2022.signedDataInt.json"))
    options = json.loads(vector("rdfc2022.proofConfigDataInt.json"))
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    key = di.secret_key_from_multibase(keys["privateKeyMultibase"])

    proof_options = {k: v for k, v in options.items() if k != "@context"}
    canonical_proof = jsonld.canonize({**proof_options, "@context": unsigned["@context"]})
    canonical_document = jsonld.canonize(unsigned)
    result = di.sign(
        unsigned,
        key=key,
        options=di.ProofOptions(
            verification_method=options["verificationMethod"], created=options["created"]
        ),
    )

    assert canonical_proof == vector("rdfc2022.proofCanonDataInt.txt")
    assert canonical_document == vector("rdfc2022.canonDoc.from-third-party-test.txt")
    combined = vector("rdfc2022.combinedHashDataInt.txt").strip()
    assert hashlib.sha256(canonical_proof.encode()).hexdigest() == combined[:64]
    assert hashlib.sha256(canonical_document.encode()).hexdigest() == combined[64:]
    assert result["proof"]["proofValue"] == vector("rdfc2022.sigBTC58DataInt.txt").strip()
    assert result["proof"] == signed["proof"]
    assert di.public_key_multibase(key.public_key()) == keys["publicKeyMultibase"]
    di.verify(result, key=di.public_key_from_multibase(keys["publicKeyMultibase"]))


def test_the_open_badges_3_vector_canonicalizes_as_published() -> None:
    """1EdTech's OB 3.0 vector (VC 2.0 form): its canonical documents are reproduced with
    the npm contexts. Its published hashes and signature were not updated with them; the
    proofValue asserted here is this key's signature of the published canonical data,
    which Digital Bazaar's JavaScript verifier also accepts."""
    data = json.loads(vector("ob3-ldp-testvector.json"))
    credential = {"@context": [jsonld.VC_V2, jsonld.OB_V3], **data["credential_vc2"]}
    options = data["proof_options"]
    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(data["privateKeyHex"])[:32])

    signed = di.sign(
        credential,
        key=key,
        options=di.ProofOptions(
            verification_method=options["verificationMethod"], created=options["created"]
        ),
    )

    assert jsonld.canonize(credential) == vector("ob3.document-canon.83de5f9.txt")
    assert jsonld.canonize({**options, "@context": credential["@context"]}) == vector(
        "ob3.proof-canon.7ede572.txt"
    )
    assert signed["proof"]["proofValue"] == (
        "z5x9aCBYovW3CQCbKdNyhEm7ffYSw1YpEdPywQJoNbzDD2gkzQDKJ1sYKJaWvqZtkMtSbz35HcbgXVEDYHxCzgkCr"
    )
    assert di.public_key_multibase(key.public_key()) == data["publicKeyMultibase"]


@pytest.fixture
def signed_badge() -> tuple[dict[str, Any], Ed25519PrivateKey]:
    data = json.loads(vector("ob3-ldp-testvector.json"))
    key = Ed25519PrivateKey.generate()
    credential = {"@context": [jsonld.VC_V2, jsonld.OB_V3], **data["credential_vc2"]}
    options = di.ProofOptions(
        verification_method="https://example.edu/issuers/565049#key-1",
        created="2026-12-03T08:00:00Z",
    )
    return di.sign(credential, key=key, options=options), key


def test_any_change_to_a_signed_credential_breaks_its_proof(
    signed_badge: tuple[dict[str, Any], Ed25519PrivateKey],
) -> None:
    signed, key = signed_badge
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"]["name"] = "Leadership"

    di.verify(signed, key=key.public_key())
    with pytest.raises(di.ProofError, match="does not match"):
        di.verify(tampered, key=key.public_key())
    with pytest.raises(di.ProofError, match="does not match"):
        di.verify(signed, key=Ed25519PrivateKey.generate().public_key())


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda c: c.pop("proof"), "no proof"),
        (lambda c: c["proof"].update(cryptosuite="ecdsa-rdfc-2019"), "eddsa-rdfc-2022"),
        (lambda c: c["proof"].update(proofValue="zabc"), "not an Ed25519 signature"),
        (lambda c: c["proof"].update(proofValue="uAAAA"), "base58btc"),
        (lambda c: c["proof"].update(created="yesterday"), "xsd:dateTime"),
        (lambda c: c.update({"@context": [jsonld.VC_V2, "https://evil.example/ctx"]}), "holds"),
        (lambda c: c.update(favouriteColour="blue"), "not defined"),
    ],
)
def test_a_malformed_proof_or_document_fails_with_its_reason(
    signed_badge: tuple[dict[str, Any], Ed25519PrivateKey], change: Any, reason: str
) -> None:
    signed, key = signed_badge
    broken = copy.deepcopy(signed)
    change(broken)

    with pytest.raises(di.ProofError, match=reason):
        di.verify(broken, key=key.public_key())


def test_control_characters_are_escaped_as_rdfc_1_0_writes_them() -> None:
    document = {"@context": {"@vocab": "https://example.org/#"}, "note": "a\x01b\x7fc\bd"}

    canonical = jsonld.canonize(document)

    assert '"a\\u0001b\\u007Fc\\bd"' in canonical


def test_a_relative_type_is_refused_instead_of_signed_away() -> None:
    document = {
        "@context": [jsonld.VC_V2],
        "type": ["VerifiableCredential"],
        "issuer": "https://example.org/i",
        "credentialSchema": {"id": "https://example.org/s", "type": "UndefinedValidator"},
        "credentialSubject": {"id": "did:example:1"},
    }

    with pytest.raises(jsonld.CanonicalizationError, match="not defined"):
        jsonld.canonize(document)


def test_the_local_contexts_are_the_pinned_files() -> None:
    for url in jsonld.CONTEXTS:
        assert "@context" in jsonld.context_document(url)


def test_multikeys_round_trip_and_refuse_other_keys() -> None:
    key = Ed25519PrivateKey.generate()

    public = di.public_key_multibase(key.public_key())
    secret = di.secret_key_multibase(key)

    assert public.startswith("z6Mk")
    assert di.secret_key_multibase(di.secret_key_from_multibase(secret)) == secret
    with pytest.raises(di.ProofError, match="public Multikey"):
        di.public_key_from_multibase(secret)
