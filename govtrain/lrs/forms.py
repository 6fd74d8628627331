from django import forms
from django.utils.translation import gettext_lazy as _

from govtrain.lrs.models import Client


class ClientForm(forms.Form):
    name = forms.CharField(label=_("Name of the system"), max_length=200)
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=Client.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the system may do; give it no more than it needs."),
    )
