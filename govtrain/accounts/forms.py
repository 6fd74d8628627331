from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from govtrain.accounts.models import Role, User
from govtrain.catalog.models import Provider
from govtrain.organisation.models import Department, District, LocalBody, Office


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("PEN or username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )


class AccountPasswordResetForm(PasswordResetForm):
    """Reset by official e-mail, which lives on the employee record.

    Unlike Django's form this also reaches imported employees who have never set a
    password: the reset link is how they activate their account.
    """

    def get_users(self, email: str) -> Iterator[User]:
        users = User.objects.filter(employee__email__iexact=email, is_active=True)
        yield from users.select_related("employee")

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # The address is the employee's official one; accounts keep no e-mail of their own.
        super().send_mail(
            subject_template_name,
            email_template_name,
            context,
            from_email,
            context["user"].employee.email,
            html_email_template_name,
        )


class RoleAssignForm(forms.Form):
    username = forms.CharField(label=_("PEN or username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), required=False
    )
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.all(), required=False
    )
    local_body = forms.ModelChoiceField(
        label=_("Local body code"),
        queryset=LocalBody.objects.all(),
        required=False,
        to_field_name="code",
        widget=forms.TextInput,
    )
    office = forms.ModelChoiceField(
        label=_("Office code (with the offices under it)"),
        queryset=Office.objects.all(),
        required=False,
        to_field_name="code",
        widget=forms.TextInput,
    )
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=Provider.objects.all(), required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("No account has this PEN or username."))
        return user

    def scope(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in ("department", "district", "local_body", "office", "provider")
            if self.cleaned_data.get(name) is not None
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=[("en", "English"), ("ml", "മലയാളം")])
    next = forms.CharField(required=False)
