from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from govtrain.catalog.models import Course, Provider
from govtrain.certificates.models import CertificateTemplate
from govtrain.classroom.models import Batch

ACCENT = re.compile(r"#[0-9a-fA-F]{6}")  # as the model's template_accent_is_hex


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProviderChoiceForm(forms.Form):
    provider = forms.ModelChoiceField(queryset=Provider.objects.none(), label=_("Institute"))

    def __init__(self, *args: Any, providers: QuerySet[Provider], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["provider"]
        if not isinstance(field, forms.ModelChoiceField):  # narrows the type for mypy
            raise TypeError(field)
        field.queryset = providers


class IssueForm(forms.Form):
    """A batch (classroom) or a course (online, external) whose completions to certify."""

    batch = forms.CharField(label=_("Batch code"), max_length=40, required=False)
    course = forms.CharField(label=_("Course code"), max_length=40, required=False)

    def __init__(self, *args: Any, providers: QuerySet[Provider], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.providers = providers

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        batch_code, course_code = data.get("batch", "").strip(), data.get("course", "").strip()
        if bool(batch_code) == bool(course_code):
            raise forms.ValidationError(_("Give a batch code or a course code."))
        if batch_code:
            batch = Batch.objects.filter(code=batch_code, course__provider__in=self.providers)
            data["batch_obj"] = batch.select_related("course__provider").first()
            if data["batch_obj"] is None:
                raise forms.ValidationError(_("No batch of your institutes has that code."))
            data["provider_obj"] = data["batch_obj"].course.provider
        else:
            course = Course.objects.filter(code=course_code, provider__in=self.providers)
            data["course_obj"] = course.select_related("provider").first()
            if data["course_obj"] is None:
                raise forms.ValidationError(_("No course of your institutes has that code."))
            data["provider_obj"] = data["course_obj"].provider
        return data


class TemplateForm(forms.ModelForm[CertificateTemplate]):
    class Meta:
        model = CertificateTemplate
        fields = [
            "heading_en",
            "heading_ml",
            "accent",
            "signatory_name_en",
            "signatory_name_ml",
            "signatory_title_en",
            "signatory_title_ml",
            "footer_en",
            "footer_ml",
        ]
        widgets = {"accent": forms.TextInput(attrs={"type": "color"})}

    def clean_accent(self) -> str:
        # The model's check constraint says the same, but only as "Constraint … is violated".
        accent: str = self.cleaned_data["accent"]
        if not ACCENT.fullmatch(accent):
            raise forms.ValidationError(_("Give the colour as # and six hex digits, e.g. #0b5370."))
        return accent
