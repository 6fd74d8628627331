"""Reads of certificates, scoped: the employee sees their own; an institute's coordinators
see their institute's; officers see those of the staff in their scope (as they see their
training records). Outside one's scope a certificate does not exist (404)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.models import User
from govtrain.catalog.models import Provider
from govtrain.certificates.models import (
    Certificate,
    CertificateTemplate,
    IssuanceJob,
    IssuerKey,
    StatusList,
)


def _certificates() -> QuerySet[Certificate]:
    return Certificate.objects.select_related("course", "provider", "employee")


def certificates_visible_to(*, user: User) -> QuerySet[Certificate]:
    access = access_for(user)
    if Perm.PEOPLE_VIEW in access.everywhere or Perm.CATALOG_MANAGE in access.everywhere:
        return _certificates()
    reach = Q(pk__in=[])
    if access.employee_id is not None:
        reach |= Q(employee_id=access.employee_id)
    if access.can(Perm.CATALOG_MANAGE):
        reach |= Q(provider_id__in=access.providers)
    people = access.office_q(Perm.PEOPLE_VIEW, prefix="employee__office__")
    if people is not None and access.can(Perm.PEOPLE_VIEW):
        reach |= people
    return _certificates().filter(reach)


def certificate_get_for(*, user: User, number: str) -> Certificate:
    return get_object_or_404(certificates_visible_to(user=user), number=number)


def certificates_of_employee(*, user: User) -> QuerySet[Certificate]:
    """The signed-in employee's own certificates, newest first."""
    access = access_for(user)
    if access.employee_id is None:
        return Certificate.objects.none()
    return _certificates().filter(employee_id=access.employee_id).order_by("-issued_at")


def providers_managed_by(*, user: User) -> QuerySet[Provider]:
    """The institutes whose certificates, keys and templates the user manages."""
    access = access_for(user)
    if Perm.CATALOG_MANAGE in access.everywhere:
        return Provider.objects.order_by("name_en")
    if not access.can(Perm.CATALOG_MANAGE):
        return Provider.objects.none()
    return Provider.objects.filter(pk__in=access.providers).order_by("name_en")


def provider_managed_get(*, user: User, code: str) -> Provider:
    return get_object_or_404(providers_managed_by(user=user), code=code)


def certificates_managed_by(*, user: User) -> QuerySet[Certificate]:
    return _certificates().filter(provider__in=providers_managed_by(user=user))


def may_manage(*, user: User, certificate: Certificate) -> bool:
    """Is the certificate one of the user's institutes' (as certificates_managed_by), from
    the access already loaded: no query."""
    return access_for(user).covers_provider(Perm.CATALOG_MANAGE, certificate.provider_id)


def certificate_managed_get(*, user: User, number: str) -> Certificate:
    return get_object_or_404(certificates_managed_by(user=user), number=number)


def certificate_shared(*, public_id: str) -> Certificate:
    """A certificate by its public link: anyone who has the link may see it."""
    return get_object_or_404(_certificates(), public_id=public_id)


def keys_of(*, provider: Provider) -> QuerySet[IssuerKey]:
    return (
        IssuerKey.objects.filter(provider=provider).select_related("provider").order_by("-number")
    )


def keys_by_provider(*, providers: QuerySet[Provider]) -> dict[int, list[IssuerKey]]:
    """Every key of these institutes in one query, newest first, by provider id."""
    found: dict[int, list[IssuerKey]] = {}
    for key in keys_of_providers(providers=providers):
        found.setdefault(key.provider_id, []).append(key)
    return found


def keys_of_providers(*, providers: QuerySet[Provider]) -> QuerySet[IssuerKey]:
    return (
        IssuerKey.objects.filter(provider__in=providers)
        .select_related("provider")
        .order_by("provider__name_en", "provider_id", "-number")
    )


def key_managed_get(*, user: User, pk: int) -> IssuerKey:
    return get_object_or_404(
        IssuerKey.objects.filter(provider__in=providers_managed_by(user=user)).select_related(
            "provider"
        ),
        pk=pk,
    )


def template_of(*, provider: Provider) -> CertificateTemplate:
    """The institute's template, or the default one (unsaved) if it has none."""
    return CertificateTemplate.objects.filter(provider=provider).first() or CertificateTemplate(
        provider=provider
    )


def job_get_for(*, user: User, pk: int) -> IssuanceJob:
    return get_object_or_404(
        IssuanceJob.objects.filter(provider__in=providers_managed_by(user=user)), pk=pk
    )


def status_list_get(*, code: str, number: int) -> StatusList:
    return get_object_or_404(
        StatusList.objects.select_related("provider"), provider__code=code, number=number
    )


def provider_by_code(*, code: str) -> Provider:
    return get_object_or_404(Provider, code=code)


def jobs_of(*, providers: QuerySet[Provider]) -> QuerySet[IssuanceJob]:
    return IssuanceJob.objects.filter(provider__in=providers).select_related("provider")
