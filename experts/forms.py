"""Public forms: the contact relay and the application to become an expert. Both carry a honeypot."""

from django import forms
from django.utils.translation import gettext_lazy as _

from experts.models import ExpertApplication

HONEYPOT = "website"


class HoneypotMixin(forms.Form):
    # Hidden from people (CSS and aria-hidden); bots that fill every field reveal themselves.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())


class ContactForm(HoneypotMixin, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(
        label=_("Your email"), help_text=_("The expert replies to this address; it is not published.")
    )
    subject = forms.CharField(label=_("Subject"), max_length=150)
    message = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}), min_length=20, max_length=5000
    )

    field_order = ["name", "email", "subject", "message", HONEYPOT]


class ApplicationForm(HoneypotMixin, forms.ModelForm):
    class Meta:
        model = ExpertApplication
        fields = [
            "name",
            "email",
            "role",
            "organisation",
            "city",
            "country",
            "cluster",
            "topics",
            "languages",
            "bio",
            "motivation",
        ]
        widgets = {
            "topics": forms.CheckboxSelectMultiple,
            "bio": forms.Textarea(attrs={"rows": 5}),
            "motivation": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {"name": _("Your name"), "email": _("Your email")}
        help_texts = {"motivation": _("What would you like to share with creative SMEs, and in which languages?")}
