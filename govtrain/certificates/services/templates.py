"""An institute's certificate template (how its PDFs look)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from govtrain.accounts.models import User
from govtrain.audit.services import audit_changes
from govtrain.catalog.models import Provider
from govtrain.certificates.models import Certificate, CertificateTemplate

FIELDS = (
    "heading_en",
    "heading_ml",
    "accent",
    "signatory_name_en",
    "signatory_name_ml",
    "signatory_title_en",
    "signatory_title_ml",
    "footer_en",
    "footer_ml",
)


@transaction.atomic
def template_save(*, provider: Provider, data: dict[str, Any], by: User) -> CertificateTemplate:
    """Save the template (validated by TemplateForm). PDFs already rendered are dropped,
    so that the next download shows the new design; the signed credentials do not change."""
    template, _created = CertificateTemplate.objects.select_for_update().get_or_create(
        provider=provider
    )
    before = {name: getattr(template, name) for name in FIELDS}
    for name in FIELDS:
        if name in data:
            setattr(template, name, data[name])
    template.full_clean()
    template.save()
    changed = audit_changes(
        actor=by,
        action="certificates.template_changed",
        target=template,
        before=before,
        after={name: getattr(template, name) for name in FIELDS},
    )
    if changed is not None:
        Certificate.objects.filter(provider=provider).exclude(pdf="").update(pdf="")
    return template
