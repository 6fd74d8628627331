"""Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite (W3C "Data Integrity EdDSA
Cryptosuites v1.0", 3.3), and Ed25519 keys as Multikeys.

Signing: the proof configuration (the proof's options, without proofValue, with the
document's @context) and the document (without its proof) are each canonicalized with
RDFC-1.0 and hashed with SHA-256; the signature is Ed25519 over the proof's hash followed
by the document's, and proofValue is its base58btc multibase ("z…"). The module's tests
reproduce the specification's published test vector byte for byte.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.utils.translation import gettext as _

from govtrain.certificates.jsonld import CanonicalizationError, canonize

Json = dict[str, Any]

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
# Multicodec prefixes (varints) of a Multikey's bytes.
ED25519_PUB = b"\xed\x01"
ED25519_PRIV = b"\x80\x26"
_XSD_DATETIME = re.compile(r"^-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


class ProofError(ValueError):
    """The proof cannot be made or does not verify; the message says why."""


def public_key_multibase(key: Ed25519PublicKey) -> str:
    """The key as `publicKeyMultibase`: "z" + base58btc(0xed01 + the 32 key bytes)."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58.b58encode(ED25519_PUB + raw).decode()


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    raw = _multibase(value)
    if len(raw) != 34 or raw[:2] != ED25519_PUB:
        raise ProofError(_("The key is not an Ed25519 public Multikey."))
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def secret_key_multibase(key: Ed25519PrivateKey) -> str:
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return "z" + base58.b58encode(ED25519_PRIV + raw).decode()


def secret_key_from_multibase(value: str) -> Ed25519PrivateKey:
    raw = _multibase(value)
    if len(raw) != 34 or raw[:2] != ED25519_PRIV:
        raise ProofError(_("The key is not an Ed25519 secret Multikey."))
    return Ed25519PrivateKey.from_private_bytes(raw[2:])


def _multibase(value: str) -> bytes:
    if not isinstance(value, str) or not value.startswith("z"):
        raise ProofError(_("A multibase value must be base58btc (start with z)."))
    try:
        return base58.b58decode(value[1:])
    except ValueError as error:
        raise ProofError(_("The multibase value is not base58btc.")) from error


@dataclass(frozen=True)
class ProofOptions:
    verification_method: str
    created: str  # an xsd:dateTime, e.g. 2026-12-03T08:00:00Z
    proof_purpose: str = "assertionMethod"

    def as_json(self) -> Json:
        if not _XSD_DATETIME.match(self.created):
            raise ProofError(_("The proof's created time is not an xsd:dateTime."))
        return {
            "type": PROOF_TYPE,
            "cryptosuite": CRYPTOSUITE,
            "created": self.created,
            "verificationMethod": self.verification_method,
            "proofPurpose": self.proof_purpose,
        }


def proof_configuration_hash(options: Json, context: Any) -> bytes:
    """SHA-256 of the canonical proof configuration (3.3.5). The same for every document
    of a batch signed with the same options and context, so callers may keep it."""
    configuration = {k: v for k, v in options.items() if k != "proofValue"}
    if configuration.get("type") != PROOF_TYPE or configuration.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(_("The proof is not a DataIntegrityProof of eddsa-rdfc-2022."))
    if context is not None:
        configuration["@context"] = context
    return hashlib.sha256(canonize(configuration).encode()).digest()


def document_hash(document: Json) -> bytes:
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    return hashlib.sha256(canonize(unsecured).encode()).digest()


def sign(
    document: Json,
    *,
    key: Ed25519PrivateKey,
    options: ProofOptions,
    configuration_hash: bytes | None = None,
) -> Json:
    """The document with a proof added (3.3.1, 3.3.3-3.3.6). Raises ProofError when the
    document or options cannot be canonicalized. `configuration_hash`, when given, is
    `proof_configuration_hash` of these options and the document's context."""
    proof = options.as_json()
    try:
        head = configuration_hash or proof_configuration_hash(proof, document.get("@context"))
        data = head + document_hash(document)
    except CanonicalizationError as error:
        raise ProofError(str(error)) from error
    proof["proofValue"] = "z" + base58.b58encode(key.sign(data)).decode()
    return {**{k: v for k, v in document.items() if k != "proof"}, "proof": proof}


def verify(document: Json, *, key: Ed25519PublicKey) -> None:
    """Check the document's proof with `key` (3.3.2). Raises ProofError with the reason."""
    proof = document.get("proof")
    if not isinstance(proof, dict):
        raise ProofError(_("The credential has no proof."))
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(_("The proof is not a DataIntegrityProof of eddsa-rdfc-2022."))
    created = proof.get("created")
    if created is not None and (not isinstance(created, str) or not _XSD_DATETIME.match(created)):
        raise ProofError(_("The proof's created time is not an xsd:dateTime."))
    signature = _multibase(str(proof.get("proofValue", "")))
    if len(signature) != 64:
        raise ProofError(_("The proof's signature is not an Ed25519 signature."))
    try:
        data = proof_configuration_hash(proof, document.get("@context")) + document_hash(document)
    except CanonicalizationError as error:
        raise ProofError(str(error)) from error
    try:
        key.verify(signature, data)
    except InvalidSignature:
        raise ProofError(
            _(
                "The signature does not match: the credential was changed after it was "
                "signed, or it was signed with another key."
            )
        ) from None
