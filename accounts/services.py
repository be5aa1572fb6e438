"""Writes of learner accounts: the SME profile, deleting an account."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from accounts.models import SMEProfile
from core import registry

PROFILE_FIELDS = ("organisation", "city", "country", "sector", "size", "preferred_language")


def profile_save(*, user: AbstractBaseUser, values: dict) -> SMEProfile:
    """Creates or updates `user`'s SME profile from `values` (the PROFILE_FIELDS)."""
    profile, _created = SMEProfile.objects.update_or_create(
        user=user, defaults={name: values[name] for name in PROFILE_FIELDS if name in values}
    )
    return profile


@transaction.atomic
def account_delete(*, user: AbstractBaseUser) -> None:
    """Deletes `user` with their profile, email addresses and authenticators.

    Other apps first get the `hub_account_deletion` hook, so that what must
    outlive the account (a certificate keeps its holder's name) is detached
    and anonymised, and the rest deleted.
    """
    registry.account_deletion(user=user)
    user.delete()
