"""Forms for external-course pages: parsing and messages only; the rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from govtrain.external.services import DECISIONS


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Certificate"),
        help_text=_("A PDF, PNG or JPEG file of the certificate the institute gave you."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )
    completed_on = forms.DateField(
        label=_("Completed on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The date on the certificate."),
    )
    certificate_id = forms.CharField(
        label=_("Certificate number"),
        max_length=100,
        required=False,
        help_text=_("Optional: the number the institute printed on the certificate."),
    )
    certificate_url = forms.URLField(
        label=_("Certificate link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Optional: where the institute shows the certificate online."),
    )


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in DECISIONS], widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        help_text=_("Required to reject; the employee sees it."),
    )


class OfferForm(forms.Form):
    url = forms.URLField(
        label=_("Course page at the institute"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where employees enrol, on the other institute's site."),
    )
