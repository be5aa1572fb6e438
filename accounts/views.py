"""The learner's account page, their data file, and deleting the account."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.views import authenticate_with_password as wagtail_authenticate_with_password

from accounts.forms import AccountDeleteForm, SMEProfileForm
from accounts.selectors import personal_data_export, profile_for_user, two_factor_offered, user_has_totp
from accounts.services import account_delete, profile_save
from accounts.throttling import page_password_failed, page_password_locked


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def overview(request):
    profile = profile_for_user(user=request.user)
    form = SMEProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        profile_save(user=request.user, values=form.cleaned_data)
        messages.success(request, _("Your profile is saved."))
        return redirect("account_overview")
    return render(
        request,
        "accounts/overview.html",
        {
            "form": form,
            "profile": profile,
            "two_factor_offered": two_factor_offered(user=request.user),
            "has_totp": user_has_totp(user=request.user),
            # Isolated, so an address reads left to right inside Arabic text.
            "email": format_html("<bdi>{}</bdi>", request.user.email),
        },
    )


@never_cache
@login_required
@require_GET
def data_download(request):
    data = personal_data_export(user=request.user)
    data["exported_at"] = timezone.now().isoformat()
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="innomed-up-my-data.json"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        account_delete(user=user)
        messages.success(request, _("Your account and your profile are deleted."))
        return redirect(f"/{get_language()}/")
    return render(request, "accounts/delete.html", {"form": form})


def page_password(request, page_view_restriction_id: int, page_id: int):
    """Wagtail's password form for protected pages, with wrong guesses throttled (accounts.throttling)."""
    if request.method == "POST":
        if page_password_locked(request, page_view_restriction_id):
            return render(request, "accounts/page_password_locked.html", status=429)
        response = wagtail_authenticate_with_password(request, page_view_restriction_id, page_id)
        if response.status_code == 200:  # the form again: wrong password
            page_password_failed(request, page_view_restriction_id)
        return response
    return wagtail_authenticate_with_password(request, page_view_restriction_id, page_id)
