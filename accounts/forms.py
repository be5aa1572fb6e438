"""The SME profile at sign-up and on the account page, and the account deletion form."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import SMEProfile
from accounts.services import PROFILE_FIELDS, profile_save


def _polish(fields: dict[str, forms.Field]) -> None:
    fields["sector"].empty_label = _("Choose a sector")
    fields["sector"].required = True
    fields["organisation"].widget.attrs["autocomplete"] = "organization"
    fields["city"].widget.attrs["autocomplete"] = "address-level2"


class SMEProfileSignupForm(forms.Form):
    """allauth's ACCOUNT_SIGNUP_FORM_CLASS: the learner's name, then the profile, after email and password."""

    # Certificates print this name, so it is asked for as the learner writes it.
    first_name = forms.CharField(
        label=_("Given name"),
        max_length=150,
        help_text=_("As it should appear on your certificates."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name", "dir": "auto"}),
    )
    last_name = forms.CharField(
        label=_("Family name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name", "dir": "auto"}),
    )
    field_order = ["email", "password1", "password2", "first_name", "last_name", *PROFILE_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(SMEProfile, fields=PROFILE_FIELDS)
        _polish(fields)
        fields["preferred_language"].initial = (get_language() or "en").split("-")[0]
        self.fields.update(fields)

    def signup(self, request, user) -> None:
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.save(update_fields=["first_name", "last_name"])
        profile_save(user=user, values={name: self.cleaned_data[name] for name in PROFILE_FIELDS})


class SMEProfileForm(forms.ModelForm):
    class Meta:
        model = SMEProfile
        fields = PROFILE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _polish(self.fields)


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        # Through allauth, so axes and allauth's rate limits count wrong guesses here too.
        if not get_adapter().reauthenticate(self.user, password):
            raise forms.ValidationError(_("That is not your password. Nothing was deleted."))
        return password
