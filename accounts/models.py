"""A learner's SME profile, captured at sign-up beside allauth's account."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


def language_choices() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)


class SMEProfile(models.Model):
    """Who a learner works for: one profile per user, deleted with the user.

    Later, SMEs will post the materials they have to offer and the materials
    they need (a circular-economy exchange); those posts will hang off this
    profile by a foreign key from their own model, so the profile stays the
    one place that describes the organisation.
    """

    class Size(models.TextChoices):
        MICRO = "micro", _("Micro (fewer than 10 people)")
        SMALL = "small", _("Small (10 to 49 people)")
        MEDIUM = "medium", _("Medium (50 to 249 people)")
        LARGE = "large", _("Large (250 people or more)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sme_profile", verbose_name=_("user")
    )
    organisation = models.CharField(_("organisation"), max_length=200)
    city = models.CharField(_("city"), max_length=120)
    country = CountryField(_("country"))
    sector = models.ForeignKey(
        "casestudies.Sector",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("creative sector"),
    )
    size = models.CharField(_("size"), max_length=10, choices=Size.choices)
    preferred_language = models.CharField(_("preferred language"), max_length=10, choices=language_choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("SME profile")
        verbose_name_plural = _("SME profiles")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.city})"
