"""TOTP two-factor authentication: offered to staff and experts, compulsory for staff with REQUIRE_STAFF_2FA."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group

from tests.accounts.factories import PASSWORD, LearnerFactory
from tests.accounts.helpers import SECRET, totp_code, turn_on_totp

pytestmark = pytest.mark.django_db


def log_in(client, user, language="en"):
    return client.post(f"/{language}/accounts/login/", {"login": user.email, "password": PASSWORD})


def test_staff_without_totp_must_set_it_up_before_the_admin(client, settings):
    settings.REQUIRE_STAFF_2FA = True
    staff = LearnerFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    for path in ("/admin/", "/admin/pages/", "/django-admin/"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/accounts/2fa/totp/activate/?next=" in response["Location"]
    # Learners' pages are not gated.
    assert client.get("/en/accounts/").status_code == 200


def test_staff_reach_the_admin_when_the_setting_is_off(client, settings):
    settings.REQUIRE_STAFF_2FA = False
    staff = LearnerFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_activating_totp_from_the_account_page_opens_the_admin(client, settings):
    settings.REQUIRE_STAFF_2FA = True
    staff = LearnerFactory(is_staff=True, is_superuser=True)
    assert log_in(client, staff).status_code == 302
    overview = client.get("/en/accounts/").content.decode()
    assert "/en/accounts/2fa/totp/activate/" in overview

    # allauth asks for the password again before changing the second factor.
    response = client.get("/en/accounts/2fa/totp/activate/")
    assert response.status_code == 302 and response["Location"].startswith("/en/accounts/reauthenticate/")
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/en/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert secret in page.content.decode()  # typed by hand when the QR code cannot be scanned
    response = client.post("/en/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()

    # A session that has not used the code yet proves it once, then reaches the admin.
    response = client.get("/admin/")
    assert response.status_code == 302 and "/accounts/2fa/reauthenticate/?next=%2Fadmin%2F" in response["Location"]
    response = client.post(response["Location"], {"code": totp_code(secret)})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_login_with_totp_asks_for_the_code(client):
    staff = LearnerFactory(is_staff=True, is_superuser=True)
    turn_on_totp(staff)
    response = log_in(client, staff)
    assert response.status_code == 302 and "/accounts/2fa/authenticate/" in response["Location"]
    assert "_auth_user_id" not in client.session
    response = client.post(response["Location"], {"code": "000000" if totp_code() != "000000" else "111111"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    response = client.post("/en/accounts/2fa/authenticate/", {"code": totp_code()})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(staff.pk)
    assert client.get("/admin/").status_code == 200


def test_admin_password_login_does_not_skip_the_second_factor(client):
    staff = LearnerFactory(is_staff=True, is_superuser=True)
    turn_on_totp(staff)
    response = client.post("/admin/login/", {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302 and "/accounts/2fa/reauthenticate/" in response["Location"]
    client.post(response["Location"].split("?")[0], {"code": totp_code(SECRET)})
    assert client.get("/admin/").status_code == 200


def test_two_factor_is_offered_to_staff_and_experts_not_learners(client):
    learner = LearnerFactory()
    client.force_login(learner)
    assert "/accounts/2fa/totp/activate/" not in client.get("/en/accounts/").content.decode()

    expert = LearnerFactory()
    expert.groups.add(Group.objects.get(name="Experts"))
    client.force_login(expert)
    assert "/accounts/2fa/totp/activate/" in client.get("/en/accounts/").content.decode()
