"""The institutes' status lists: a bit for each certificate, and the list as a credential
the institute signs (Bitstring Status List v1.0).

Bits are handed out in a scrambled order (an odd stride modulo the list's size, a
bijection), so that neighbouring bits do not tell who was certified together.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from govtrain.catalog.models import Provider
from govtrain.certificates import credential, dataintegrity, identity, statuslist
from govtrain.certificates.models import StatusList
from govtrain.certificates.services.keys import key_active, secret_key


def _scrambled(status_list: StatusList, position: int) -> int:
    stride, offset = _permutation(status_list)
    return (position * stride + offset) % status_list.size


def _permutation(status_list: StatusList) -> tuple[int, int]:
    seed = int.from_bytes(bytes(status_list.seed), "big")
    return (seed >> 32) | 1, seed & 0xFFFFFFFF


def allocate(*, provider: Provider, count: int) -> list[tuple[StatusList, int]]:
    """`count` unused bits of the institute's lists, opening a new list when one is full.
    Call inside the transaction that stores the certificates: the list rows are locked."""
    out: list[tuple[StatusList, int]] = []
    while len(out) < count:
        status_list = (
            StatusList.objects.select_for_update()
            .filter(provider=provider, next_index__lt=statuslist.MIN_ENTRIES)
            .order_by("number")
            .first()
        )
        if status_list is None:
            last = StatusList.objects.filter(provider=provider).order_by("-number").first()
            status_list = StatusList.objects.create(
                provider=provider,
                number=(last.number + 1) if last else 1,
                bits=bytes(statuslist.empty()),
                size=statuslist.MIN_ENTRIES,
                seed=secrets.token_bytes(8),
            )
        take = min(count - len(out), status_list.size - status_list.next_index)
        start = status_list.next_index
        out += [(status_list, _scrambled(status_list, n)) for n in range(start, start + take)]
        status_list.next_index = start + take
        status_list.save(update_fields=["next_index", "updated_at"])
    return out


def set_revoked(*, status_list: StatusList, index: int, revoked: bool) -> None:
    """Flip one bit (inside the revoking transaction); the signed list is made again on
    its next request."""
    locked = StatusList.objects.select_for_update().get(pk=status_list.pk)
    bits = bytearray(bytes(locked.bits))
    statuslist.set_bit(bits, index, revoked)
    locked.bits = bytes(bits)
    locked.version += 1
    locked.save(update_fields=["bits", "version", "updated_at"])


def signed_list(*, status_list: StatusList) -> str:
    """The list as a signed BitstringStatusListCredential (JSON text), signed again only
    after a revocation changed it. Verifiers fetch it often: a current list is served as
    read, without a transaction or a row lock."""
    if status_list.signed and status_list.signed_version == status_list.version:
        return status_list.signed
    return _signed_again(status_list)


@transaction.atomic
def _signed_again(status_list: StatusList) -> str:
    # Lock: two requests after one revocation sign once; the second finds it signed.
    locked = (
        StatusList.objects.select_for_update().select_related("provider").get(pk=status_list.pk)
    )
    if locked.signed and locked.signed_version == locked.version:
        return locked.signed
    key = key_active(provider=locked.provider)
    now = timezone.now()
    document = credential.status_list_credential(
        url=identity.status_list_url(locked),
        provider_code=locked.provider.code,
        encoded_list=statuslist.encode(bytes(locked.bits)),
        valid_from=now,
    )
    signed = dataintegrity.sign(
        document,
        key=secret_key(key),
        options=dataintegrity.ProofOptions(
            verification_method=identity.verification_method(key),
            created=credential.xsd_datetime(now),
        ),
    )
    locked.signed = credential.dumps(signed)
    locked.signed_version = locked.version
    locked.save(update_fields=["signed", "signed_version", "updated_at"])
    return locked.signed
