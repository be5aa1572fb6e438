"""Reads of learner accounts: profile, two-factor state, the learner's data file."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AbstractBaseUser

from accounts.models import SMEProfile
from core import registry

EXPERTS_GROUP = "Experts"


def profile_for_user(*, user: AbstractBaseUser) -> SMEProfile | None:
    return SMEProfile.objects.select_related("sector").filter(user=user).first()


def user_has_totp(*, user: AbstractBaseUser) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def two_factor_offered(*, user: AbstractBaseUser) -> bool:
    """Staff and experts are offered two-factor authentication on their account page."""
    return user.is_staff or user.groups.filter(name=EXPERTS_GROUP).exists()


def personal_data_export(*, user: AbstractBaseUser) -> dict:
    """Everything the Hub holds about `user`, as JSON-ready data: account, profile, then each app's section."""
    profile = profile_for_user(user=user)
    data = {
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user).order_by("pk")
            ],
            "two_factor": sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True)),
            "groups": sorted(user.groups.values_list("name", flat=True)),
        },
        "profile": None,
    }
    if profile is not None:
        data["profile"] = {
            "organisation": profile.organisation,
            "city": profile.city,
            "country": profile.country.code,
            "sector": profile.sector.slug if profile.sector else None,
            "size": profile.size,
            "preferred_language": profile.preferred_language,
            "created_at": profile.created_at.isoformat(),
            "updated_at": profile.updated_at.isoformat(),
        }
    data.update(registry.personal_data(user=user))
    return data
