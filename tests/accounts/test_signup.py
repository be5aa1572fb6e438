"""Sign-up with an SME profile, email verification, then login."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from accounts.models import SMEProfile
from tests.accounts.helpers import link_in

pytestmark = pytest.mark.django_db

PASSWORD = "a-Long-enough-passw0rd"


def sector():
    return SMEProfile._meta.get_field("sector").related_model.objects.order_by("pk").first()


def signup_data(email="maria@atelier.example", **changes):
    data = {
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "first_name": "Maria",
        "last_name": "Konstantinou",
        "organisation": "Atelier Maria",
        "city": "Thessaloniki",
        "country": "GR",
        "sector": sector().pk,
        "size": "micro",
        "preferred_language": "el",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("language", ["en", "ar"])
def test_sign_up_verify_email_then_log_in(client, language):
    response = client.post(f"/{language}/accounts/signup/", signup_data())
    assert response.status_code == 302
    assert response["Location"] == f"/{language}/accounts/confirm-email/"

    user = get_user_model().objects.get(email="maria@atelier.example")
    profile = user.sme_profile
    assert (profile.organisation, profile.city, profile.country.code, profile.size) == (
        "Atelier Maria",
        "Thessaloniki",
        "GR",
        "micro",
    )
    assert profile.sector == sector() and profile.preferred_language == "el"
    assert user.username  # made up by allauth: nobody typed one
    assert user.get_full_name() == "Maria Konstantinou"  # the name certificates print

    # Not verified yet: logging in sends the learner back to the verification notice.
    response = client.post(f"/{language}/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and "confirm-email" in response["Location"]
    assert "_auth_user_id" not in client.session

    assert mail.outbox and mail.outbox[0].to == ["maria@atelier.example"]
    confirm_path = link_in(mail.outbox[0], "/accounts/confirm-email/")
    assert confirm_path.startswith(f"/{language}/")
    page = client.get(confirm_path)
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    response = client.post(confirm_path)
    assert response.status_code == 302

    response = client.post(f"/{language}/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == f"/{language}/accounts/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Atelier Maria" in page.content.decode()


def test_sign_up_without_profile_shows_errors_and_creates_nothing(client):
    response = client.post("/en/accounts/signup/", signup_data(organisation="", size="huge", country="XX"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="errorlist') >= 3
    assert not get_user_model().objects.filter(email="maria@atelier.example").exists()
    assert mail.outbox == []


def test_sign_up_is_rate_limited_per_address(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "2/h/ip", "login_failed": None}
    for number in range(2):
        response = client.post("/en/accounts/signup/", signup_data(email=f"person{number}@example.org"))
        assert response.status_code == 302
        client.logout()
    response = client.post("/en/accounts/signup/", signup_data(email="person9@example.org"))
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert not get_user_model().objects.filter(email="person9@example.org").exists()


def test_signing_up_with_a_taken_address_reveals_nothing(client):
    """The answer is the same as for a new address; the owner gets an email, nobody gets an account."""
    users_before = get_user_model().objects.count()
    response = client.post("/en/accounts/signup/", signup_data(email="learner@example.org"))
    assert response.status_code == 302 and response["Location"] == "/en/accounts/confirm-email/"
    assert get_user_model().objects.count() == users_before
    assert [message.to for message in mail.outbox] == [["learner@example.org"]]
    assert "/accounts/confirm-email/" not in mail.outbox[0].body
