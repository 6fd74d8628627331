"""Demo data of certificates: the institutes' templates, a certificate for every completion
the demo has, a key rotated at IMG (its earlier certificates keep verifying) and one
certificate revoked with its reason. Meant to be called by `govtrain seed_demo` after the
completions exist; running it again issues only what is missing."""

from __future__ import annotations

from dataclasses import dataclass

from govtrain.accounts.models import Role, User
from govtrain.catalog.models import Provider
from govtrain.certificates.models import Certificate, CertificateTemplate, IssuerKey
from govtrain.certificates.services import issuing, keys, revoking
from govtrain.notifications.services import emails_muted
from govtrain.records.models import Enrolment

TEMPLATES = {
    "IMG": {
        "signatory_name_en": "Director General",
        "signatory_name_ml": "ഡയറക്ടർ ജനറൽ",
        "signatory_title_en": "Institute of Management in Government, Thiruvananthapuram",
        "signatory_title_ml": "ഇൻസ്റ്റിറ്റ്യൂട്ട് ഓഫ് മാനേജ്മെന്റ് ഇൻ ഗവൺമെന്റ്, തിരുവനന്തപുരം",
        "footer_en": "Government of Kerala",
        "footer_ml": "കേരള സർക്കാർ",
    },
    "KILA": {
        "accent": "#1f5f3a",
        "signatory_name_en": "Director",
        "signatory_name_ml": "ഡയറക്ടർ",
        "signatory_title_en": "Kerala Institute of Local Administration, Thrissur",
        "signatory_title_ml": "കേരള ഇൻസ്റ്റിറ്റ്യൂട്ട് ഓഫ് ലോക്കൽ അഡ്മിനിസ്ട്രേഷൻ, തൃശ്ശൂർ",
        "footer_en": "Local Self Government Department, Government of Kerala",
        "footer_ml": "തദ്ദേശ സ്വയംഭരണ വകുപ്പ്, കേരള സർക്കാർ",
    },
    "ILDM": {
        "accent": "#7a3b0b",
        "signatory_name_en": "Director",
        "signatory_name_ml": "ഡയറക്ടർ",
        "signatory_title_en": "Institute of Land and Disaster Management",
        "signatory_title_ml": "ഇൻസ്റ്റിറ്റ്യൂട്ട് ഓഫ് ലാൻഡ് ആൻഡ് ഡിസാസ്റ്റർ മാനേജ്മെന്റ്",
        "footer_en": "Revenue Department, Government of Kerala",
        "footer_ml": "റവന്യൂ വകുപ്പ്, കേരള സർക്കാർ",
    },
}


@dataclass
class Summary:
    issued: int = 0
    already: int = 0
    rotated: bool = False
    revoked: int = 0


def _admin() -> User | None:
    return User.objects.filter(role_assignments__role=Role.STATE_ADMIN).first()


def build_certificates() -> Summary:
    summary = Summary()
    for code, fields in TEMPLATES.items():
        provider = Provider.objects.filter(code=code).first()
        if provider is not None:
            CertificateTemplate.objects.get_or_create(provider=provider, defaults=fields)
    admin = _admin()
    completed = list(
        Enrolment.objects.filter(
            status=Enrolment.Status.COMPLETED, certificate__isnull=True
        ).order_by("completed_on", "pk")
    )
    img = Provider.objects.filter(code="IMG").first()
    first_run = not IssuerKey.objects.exists()
    with emails_muted():
        # IMG's older half under its first key, then a new key for the rest: the first
        # certificates keep verifying through the retired key in IMG's DID document.
        half = len(completed) // 2
        result = issuing.certificates_issue(enrolments=completed[:half], by=admin)
        if first_run and img is not None and admin is not None:
            keys.key_rotate(provider=img, by=admin)
            summary.rotated = True
        rest = issuing.certificates_issue(enrolments=completed[half:], by=admin)
        summary.issued = len(result.issued) + len(rest.issued)
        summary.already = result.already + rest.already
        if first_run and admin is not None:
            mistaken = Certificate.objects.order_by("pk").first()
            if mistaken is not None:
                revoking.certificate_revoke(
                    certificate=mistaken,
                    by=admin,
                    reason="Attendance was recorded against the wrong PEN; reissued after "
                    "correction.",
                )
                summary.revoked = 1
    return summary
