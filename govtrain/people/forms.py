from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from govtrain.organisation.models import Department, District, Office
from govtrain.people.models import Designation, Employee, ServiceClass
from govtrain.people.selectors import DirectoryFilters
from govtrain.people.services import EDITABLE_FIELDS
from govtrain.people.services.reading import FileRejected, check_xlsx_archive


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Name or PEN"), required=False, max_length=100)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), required=False
    )
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.all(), required=False
    )
    designation = forms.ModelChoiceField(
        label=_("Designation"), queryset=Designation.objects.all(), required=False
    )
    service_class = forms.ModelChoiceField(
        label=_("Service class"), queryset=ServiceClass.objects.all(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *Employee.Status.choices], required=False
    )

    def filters(self) -> DirectoryFilters:
        if not self.is_valid():
            return DirectoryFilters()
        data = self.cleaned_data

        def pk(name: str) -> int | None:
            return data[name].pk if data.get(name) else None

        return DirectoryFilters(
            q=data["q"],
            department=pk("department"),
            district=pk("district"),
            designation=pk("designation"),
            service_class=pk("service_class"),
            status=data["status"],
        )


class EmployeeForm(forms.ModelForm[Employee]):
    office = forms.ModelChoiceField(
        label=_("Office code"),
        queryset=Office.objects.all(),
        to_field_name="code",
        widget=forms.TextInput,
    )
    controlling_officer = forms.ModelChoiceField(
        label=_("Controlling officer's PEN"),
        queryset=Employee.objects.all(),
        to_field_name="pen",
        required=False,
        widget=forms.TextInput,
    )
    reason = forms.CharField(label=_("Reason for the change"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Show the codes a person types, not database ids.
        if self.instance.pk and not self.is_bound:
            self.initial["office"] = self.instance.office.code
            officer = self.instance.controlling_officer
            self.initial["controlling_officer"] = officer.pen if officer else ""

    class Meta:
        model = Employee
        fields = list(EDITABLE_FIELDS)
        widgets = {"date_of_joining": forms.DateInput(attrs={"type": "date"})}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("HR export (CSV or XLSX)"),
        help_text=_(
            "Columns: pen, name_en, name_ml, gender, service_class, cadre, designation, "
            "office, date_of_joining, status, email, phone, controlling_officer_pen."
        ),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        limit = settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": settings.IMPORT_MAX_UPLOAD_MB}
            )
        if name.endswith(".xlsx"):
            try:
                check_xlsx_archive(upload, upload.size)
            except FileRejected as exc:
                raise forms.ValidationError(str(exc)) from exc
            upload.seek(0)
        return upload
