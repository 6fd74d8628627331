"""The package upload form: parsing and messages only; the checks live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from govtrain.accounts.access import Access, Perm
from govtrain.catalog.models import Provider


class PackageUploadForm(forms.Form):
    package = forms.FileField(
        label=_("SCORM package (zip)"),
        help_text=_("A SCORM 1.2 or 2004 package, at most %(mb)s MB.")
        % {"mb": settings.SCORM_MAX_UPLOAD_MB},
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    provider = forms.ModelChoiceField(
        label=_("Institute"),
        queryset=Provider.objects.none(),
        required=False,
        help_text=_("Its coordinators can use the package in their courses."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to use the title in the package's manifest."),
    )

    def __init__(self, *args: Any, access: Access, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["provider"]
        if not isinstance(field, forms.ModelChoiceField):  # narrows the type for mypy
            raise TypeError(field)
        if Perm.CATALOG_MANAGE in access.everywhere:
            field.queryset = Provider.objects.order_by("name_en")
            field.empty_label = str(_("State-wide (no institute)"))
        else:
            field.queryset = Provider.objects.filter(pk__in=access.providers).order_by("name_en")
            field.required = True
            field.empty_label = None
