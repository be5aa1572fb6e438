"""How axes names the account and the address behind a login attempt.

Wagtail's and Django's admin logins send a username, allauth's sends an email
address: both resolve to the same account, so guesses against one account
count together whichever form they come through.
"""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Q


def login_identifier(request, credentials: dict | None) -> str:
    """The account a login attempt is for: its username when it exists, else what was typed, lower-cased."""
    credentials = credentials or {}
    data = getattr(request, "POST", {}) if request is not None else {}
    typed = credentials.get("email") or credentials.get("username") or data.get("login") or data.get("username") or ""
    typed = str(typed).strip().lower()[:254]
    if not typed:
        return ""
    user_model = get_user_model()
    matches = Q(**{f"{user_model.USERNAME_FIELD}__iexact": typed}) | Q(email__iexact=typed)
    username = (
        user_model._default_manager.filter(matches)
        .order_by("pk")
        .values_list(user_model.USERNAME_FIELD, flat=True)
        .first()
    )
    return str(username).lower() if username else typed


def client_ip(request) -> str | None:
    """The client's address as allauth sees it (REMOTE_ADDR, or X-Forwarded-For behind TRUSTED_PROXY_COUNT proxies).

    None for a request without one (the test client's logout makes such a request).
    """
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None


# --- The password form of password-protected pages ------------------------
# Wagtail's view has no user account to lock, so failures are counted in the
# cache per client address (10 an hour) and per restriction (100 an hour, the
# ASVS 2.2.1 ceiling: a per-page lock would let anyone shut a page's readers out).

PAGE_PASSWORD_LIMIT_PER_ADDRESS = 10
PAGE_PASSWORD_LIMIT_PER_RESTRICTION = 100
PAGE_PASSWORD_WINDOW = 60 * 60


def _page_password_keys(request, restriction_id: int) -> list[tuple[str, int]]:
    return [
        (f"hub:page-password:ip:{client_ip(request)}", PAGE_PASSWORD_LIMIT_PER_ADDRESS),
        (f"hub:page-password:restriction:{restriction_id}", PAGE_PASSWORD_LIMIT_PER_RESTRICTION),
    ]


def page_password_locked(request, restriction_id: int) -> bool:
    return any(cache.get(key, 0) >= limit for key, limit in _page_password_keys(request, restriction_id))


def page_password_failed(request, restriction_id: int) -> None:
    for key, _limit in _page_password_keys(request, restriction_id):
        cache.add(key, 0, PAGE_PASSWORD_WINDOW)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, PAGE_PASSWORD_WINDOW)
