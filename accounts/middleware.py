"""Two-factor authentication in front of the admin.

A staff user who has TOTP must have used it in this session before reaching
/admin/ or /django-admin/ (their login forms ask for a password only); with
REQUIRE_STAFF_2FA, a staff user without TOTP is sent to set it up first.
"""

from __future__ import annotations

from urllib.parse import urlencode

from allauth.account.internal.flows.login import get_authentication_records
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from accounts.selectors import user_has_totp

ADMIN_PREFIXES = ("/admin/", "/django-admin/")
OPEN_ADMIN_PATHS = ("/admin/login/", "/admin/logout/", "/django-admin/login/", "/django-admin/logout/")


def _used_mfa(request) -> bool:
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if path.startswith(ADMIN_PREFIXES) and not path.startswith(OPEN_ADMIN_PATHS):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and user.is_staff:
                target = self._second_factor_url(request, user)
                if target:
                    return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _second_factor_url(self, request, user) -> str | None:
        if user_has_totp(user=user):
            return None if _used_mfa(request) else reverse("mfa_reauthenticate")
        if settings.REQUIRE_STAFF_2FA:
            return reverse("mfa_activate_totp")
        return None
