"""The institutes' signing keys: made, rotated, revoked; stored encrypted.

A key is made the first time an institute signs. Rotating makes a new active key and
retires the old one, which stays in the institute's DID document so that what it signed
keeps verifying. Revoking a key (it leaked) makes what it signed fail verification, with
the date and reason; the institute then reissues those certificates.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from govtrain.accounts.models import User
from govtrain.audit.services import audit_record
from govtrain.catalog.models import Provider
from govtrain.certificates import dataintegrity
from govtrain.certificates.models import IssuerKey


def _fernet() -> Fernet:
    secret = settings.CERTIFICATE_KEY_SECRET or settings.SECRET_KEY
    digest = hashlib.sha256(f"govtrain.certificates.keys\x1f{secret}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


# Decrypted keys by their public key (unique for life; a row id is not: SQLite gives a
# rolled-back row's id again): a bulk issue signs thousands with one key.
_secrets: dict[str, Ed25519PrivateKey] = {}


def secret_key(key: IssuerKey) -> Ed25519PrivateKey:
    """The key's secret half, for signing (callers check that the key is active)."""
    cached = _secrets.get(key.public_key)
    if cached is None:
        text = _fernet().decrypt(bytes(key.secret_encrypted)).decode()
        cached = dataintegrity.secret_key_from_multibase(text)
        if dataintegrity.public_key_multibase(cached.public_key()) != key.public_key:
            raise ValueError(f"The secret of {key} does not match its public key.")
        _secrets[key.public_key] = cached
    return cached


def _new_key(provider: Provider, number: int) -> IssuerKey:
    secret = Ed25519PrivateKey.generate()
    return IssuerKey.objects.create(
        provider=provider,
        number=number,
        public_key=dataintegrity.public_key_multibase(secret.public_key()),
        secret_encrypted=_fernet().encrypt(dataintegrity.secret_key_multibase(secret).encode()),
    )


@transaction.atomic
def key_active(*, provider: Provider) -> IssuerKey:
    """The institute's active key, made on first use. Locks the provider, so that two
    first certificates at once make one key."""
    Provider.objects.select_for_update().filter(pk=provider.pk).first()
    key = IssuerKey.objects.filter(provider=provider, status=IssuerKey.Status.ACTIVE).first()
    if key is None:
        number = (IssuerKey.objects.filter(provider=provider).aggregate(n=Max("number"))["n"]) or 0
        key = _new_key(provider, number + 1)
        audit_record(actor=None, action="certificates.key_created", target=key)
    key.provider = provider
    return key


@transaction.atomic
def key_rotate(*, provider: Provider, by: User) -> IssuerKey:
    """A new active key; the previous one is retired and stays published."""
    Provider.objects.select_for_update().filter(pk=provider.pk).first()
    now = timezone.now()
    current = IssuerKey.objects.filter(provider=provider, status=IssuerKey.Status.ACTIVE).first()
    if current is not None:
        current.status = IssuerKey.Status.RETIRED
        current.retired_at = now
        current.save(update_fields=["status", "retired_at", "updated_at"])
    number = (IssuerKey.objects.filter(provider=provider).aggregate(n=Max("number"))["n"]) or 0
    key = _new_key(provider, number + 1)
    audit_record(
        actor=by,
        action="certificates.key_rotated",
        target=key,
        before={"active": str(current) if current else None},
        after={"active": str(key)},
    )
    return key


@transaction.atomic
def key_revoke(*, key: IssuerKey, by: User, reason: str) -> IssuerKey:
    """The key leaked: what it signed no longer verifies. A reason is required."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the key is revoked."))
    key = IssuerKey.objects.select_for_update().select_related("provider").get(pk=key.pk)
    if key.status == IssuerKey.Status.REVOKED:
        raise ValidationError(_("This key is already revoked."))
    before = key.status
    key.status = IssuerKey.Status.REVOKED
    key.revoked_at = timezone.now()
    key.revoked_reason = reason
    key.save(update_fields=["status", "revoked_at", "revoked_reason", "updated_at"])
    _secrets.pop(key.public_key, None)
    audit_record(
        actor=by,
        action="certificates.key_revoked",
        target=key,
        before={"status": before},
        after={"status": key.status},
        reason=reason,
    )
    return key
