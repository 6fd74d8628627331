"""Verifying a credential: is it genuine, whose is it, what does it certify, and is it
still valid? Every check is listed with its outcome, so that a stranger sees why a
credential fails (a changed word, a revoked certificate, another issuer's key, an expired
date), not just that it does.

`verify` checks credentials this platform issued, with the keys and status lists it holds.
`verify_offline` needs only the issuer's public key (and, to check revocation, the status
list credential): it is what `govtrain verify_credential` runs, away from the platform.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from govtrain.certificates import dataintegrity, identity, jsonld, statuslist
from govtrain.certificates.models import Certificate, IssuerKey, StatusList

Json = dict[str, Any]
MAX_CREDENTIAL_BYTES = 256 * 1024
_KEY_FRAGMENT = re.compile(r"^key-(\d{1,6})$")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    message: str


@dataclass
class Verification:
    checks: list[Check] = field(default_factory=list)
    credential: Json | None = None
    certificate: Certificate | None = None

    @property
    def valid(self) -> bool:
        return bool(self.checks) and all(check.ok for check in self.checks)

    @property
    def reason(self) -> str:
        return next((check.message for check in self.checks if not check.ok), "")

    def passed(self, name: str, message: str) -> None:
        self.checks.append(Check(name, True, message))

    def failed(self, name: str, message: str) -> Verification:
        self.checks.append(Check(name, False, message))
        return self

    # What the credential says, for the verification page.
    def _subject(self) -> Json:
        subject = (self.credential or {}).get("credentialSubject")
        return subject if isinstance(subject, dict) else {}

    @property
    def recipient(self) -> str:
        for item in self._subject().get("identifier") or []:
            if isinstance(item, dict) and item.get("identityType") == "name":
                return str(item.get("identityHash", ""))
        return ""

    @property
    def achievement(self) -> str:
        achievement = self._subject().get("achievement")
        return str(achievement.get("name", "")) if isinstance(achievement, dict) else ""

    @property
    def issuer_name(self) -> str:
        issuer = (self.credential or {}).get("issuer")
        return str(issuer.get("name", "")) if isinstance(issuer, dict) else str(issuer or "")


def parse(text: str | bytes) -> Json:
    """A credential from its JSON text; ValueError with a message for anything else."""
    if len(text) > MAX_CREDENTIAL_BYTES:
        raise ValueError(_("The credential is larger than 256 KiB."))
    try:
        document = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise ValueError(_("This is not JSON: paste or upload the credential file.")) from None
    if not isinstance(document, dict):
        raise ValueError(_("A credential is a JSON object."))
    return document


def _form(document: Json, result: Verification) -> bool:
    context = document.get("@context")
    types = document.get("type")
    types = types if isinstance(types, list) else [types]
    if not isinstance(context, list) or not context or context[0] != jsonld.VC_V2:
        result.failed("form", _("This is not a W3C Verifiable Credential 2.0."))
        return False
    if "VerifiableCredential" not in types:
        result.failed("form", _("This is not a W3C Verifiable Credential 2.0."))
        return False
    result.passed("form", _("A W3C Verifiable Credential 2.0."))
    return True


def _issuer_id(document: Json) -> str:
    issuer = document.get("issuer")
    return str(issuer.get("id", "")) if isinstance(issuer, dict) else str(issuer or "")


def _validity(document: Json, result: Verification, now: dt.datetime) -> None:
    for name in ("validFrom", "validUntil"):
        value = document.get(name)
        if value is None:
            continue
        try:
            moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            result.failed("dates", _("The credential's %(name)s is not a date.") % {"name": name})
            return
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        if (moment > now) if name == "validFrom" else (moment <= now):
            day = moment.date().isoformat()
            message = (
                _("The credential is not valid before %(day)s.")
                if name == "validFrom"
                else _("The credential expired on %(day)s.")
            )
            result.failed("dates", message % {"day": day})
            return
    result.passed("dates", _("Within its dates of validity."))


def verify_issued(certificate: Certificate, *, now: dt.datetime | None = None) -> Verification:
    """Verify a certificate's own stored credential (its pages): as `verify`, without
    looking the certificate up again."""
    return verify(parse(certificate.credential), now=now, certificate=certificate)


def verify(
    document: Json, *, now: dt.datetime | None = None, certificate: Certificate | None = None
) -> Verification:
    """Verify a credential issued on this platform (reads the keys and status lists).
    `certificate`, when the caller has it, is the one the credential is believed to be;
    it is used only if the credential names it."""
    now = now or timezone.now()
    result = Verification(credential=document)
    if not _form(document, result):
        return result
    code = identity.provider_code_of(_issuer_id(document))
    if code is None:
        return result.failed(
            "issuer",
            _("The issuer %(issuer)s is not an institute of this platform.")
            % {"issuer": _issuer_id(document)[:200] or "?"},
        )
    proof = document.get("proof")
    method = str(proof.get("verificationMethod", "")) if isinstance(proof, dict) else ""
    did, _sep, fragment = method.partition("#")
    match = _KEY_FRAGMENT.match(fragment)
    key = (
        IssuerKey.objects.filter(provider__code=code, number=int(match.group(1)))
        .select_related("provider")
        .first()
        if match and did == _issuer_id(document)
        else None
    )
    if key is None:
        return result.failed("issuer", _("The credential was not signed with a key of its issuer."))
    result.passed("issuer", _("Issued by %(name)s.") % {"name": key.provider.name_en})
    try:
        dataintegrity.verify(document, key=dataintegrity.public_key_from_multibase(key.public_key))
    except dataintegrity.ProofError as error:
        return result.failed("signature", str(error))
    if key.status == IssuerKey.Status.REVOKED and key.revoked_at is not None:
        return result.failed(
            "signature",
            _("It was signed with a key that the institute revoked on %(day)s: %(reason)s")
            % {"day": key.revoked_at.date().isoformat(), "reason": key.revoked_reason},
        )
    result.passed("signature", _("The signature is the institute's, and nothing was changed."))
    _validity(document, result, now)
    public_id = _public_id(document)
    if certificate is None or certificate.public_id != public_id:
        certificate = (
            Certificate.objects.filter(public_id=public_id).select_related("course").first()
            if public_id
            else None
        )
    _status(document, code, result, certificate)
    result.certificate = certificate
    return result


def _public_id(document: Json) -> str:
    prefix = identity.verify_url("x")[:-2]  # .../verify/
    value = str(document.get("id", ""))
    return value[len(prefix) :].rstrip("/") if value.startswith(prefix) else ""


def _status_list(url: object, code: str) -> StatusList | None:
    """The issuer's status list at `url`: the one row its last segment numbers (not every
    list of the issuer with its bits), if the URL is exactly that list's."""
    number = url.rsplit("/", 1)[-1] if isinstance(url, str) else ""
    if not (number.isascii() and number.isdigit()) or len(number) > 9:
        return None
    status_list = (
        StatusList.objects.filter(provider__code=code, number=int(number))
        .select_related("provider")
        .first()
    )
    if status_list is None or identity.status_list_url(status_list) != url:
        return None
    return status_list


def _status(
    document: Json, code: str, result: Verification, certificate: Certificate | None
) -> None:
    entry = document.get("credentialStatus")
    if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
        result.failed("status", _("The credential has no status to check."))
        return
    status_list = _status_list(entry.get("statusListCredential"), code)
    try:
        index = int(str(entry.get("statusListIndex")))
        if status_list is None:
            raise statuslist.StatusListError
        revoked = statuslist.get_bit(bytes(status_list.bits), index)
    except (ValueError, statuslist.StatusListError):
        result.failed("status", _("The credential's status cannot be found."))
        return
    if revoked:
        if (
            certificate is None
            or certificate.status_list_id != status_list.pk
            or certificate.status_index != index
        ):
            certificate = Certificate.objects.filter(
                status_list=status_list, status_index=index
            ).first()
        if certificate is not None and certificate.revoked_at is not None:
            result.failed(
                "status",
                _("Revoked on %(day)s: %(reason)s")
                % {
                    "day": certificate.revoked_at.date().isoformat(),
                    "reason": certificate.revoked_reason,
                },
            )
        else:
            result.failed("status", _("The institute has revoked this credential."))
        return
    result.passed("status", _("Not revoked."))


def verify_offline(
    document: Json,
    *,
    public_key: str,
    status_list: Json | None = None,
    now: dt.datetime | None = None,
) -> Verification:
    """Verify with the issuer's public key alone (a multibase Ed25519 key), and, if given,
    its signed status list credential for revocation. No database, no network."""
    now = now or dt.datetime.now(dt.UTC)
    result = Verification(credential=document)
    if not _form(document, result):
        return result
    try:
        key = dataintegrity.public_key_from_multibase(public_key)
        dataintegrity.verify(document, key=key)
    except dataintegrity.ProofError as error:
        return result.failed("signature", str(error))
    result.passed("signature", _("The signature matches the key, and nothing was changed."))
    _validity(document, result, now)
    if status_list is None:
        result.passed("status", _("Revocation not checked: no status list was given."))
        return result
    try:
        dataintegrity.verify(status_list, key=key)
        subject = status_list["credentialSubject"]
        entry = document["credentialStatus"]
        if entry.get("statusListCredential") != status_list.get("id"):
            raise statuslist.StatusListError
        bits = statuslist.decode(subject["encodedList"])
        revoked = statuslist.get_bit(bits, int(entry["statusListIndex"]))
    except (dataintegrity.ProofError, KeyError, TypeError, ValueError, statuslist.StatusListError):
        return result.failed("status", _("The status list does not belong to this credential."))
    if revoked:
        return result.failed("status", _("The institute has revoked this credential."))
    result.passed("status", _("Not revoked."))
    return result
