"""Password guessing is cut off per account and per address, on every login form."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from tests.accounts.factories import PASSWORD, LearnerFactory

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT
ARABIC_LOCKOUT = "تجاوزت الحد المسموح لمحاولة تسجيل الدخول. حاول في وقت لاحق."


def fail(client, url, field, identifier, times, *, locks=False, **extra):
    """`times` wrong passwords; with `locks`, the last one reaches the limit and is answered 429."""
    for attempt in range(1, times + 1):
        response = client.post(url, {field: identifier, "password": "wrong-guess"}, **extra)
        assert response.status_code == (429 if locks and attempt == times else 200)
        assert "_auth_user_id" not in client.session


def test_limit_respects_asvs():
    assert LIMIT <= 100 and settings.AXES_COOLOFF_TIME <= 1
    assert settings.AUTHENTICATION_BACKENDS[0].startswith("axes.")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_wrong_passwords_lock_the_account_with_a_translated_message(client, language):
    learner = LearnerFactory()
    fail(client, f"/{language}/accounts/login/", "login", learner.email, LIMIT - 1)
    # One short of the limit, the right password still works.
    response = client.post(f"/{language}/accounts/login/", {"login": learner.email, "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(learner.pk)
    client.logout()

    fail(client, f"/{language}/accounts/login/", "login", learner.email, 1, locks=True)
    response = client.post(f"/{language}/accounts/login/", {"login": learner.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    html = response.content.decode()
    assert f'lang="{language}"' in html
    if language == "ar":
        assert 'dir="rtl"' in html and ARABIC_LOCKOUT in html
    else:
        assert "Too many failed login attempts. Try again later." in html


@pytest.mark.parametrize("url", ["/admin/login/", "/django-admin/login/"])
def test_admin_logins_lock_too(client, url):
    admin = get_user_model().objects.get(username=settings.DEMO_ADMIN_USERNAME)
    fail(client, url, "username", admin.username, LIMIT, locks=True)
    response = client.post(url, {"username": admin.username, "password": settings.DEMO_ADMIN_PASSWORD})
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_guesses_count_per_account_across_forms(client):
    """Username at /admin/login/ and email address at the Hub's login are one account."""
    learner = LearnerFactory(is_staff=True)
    half = LIMIT // 2
    fail(client, "/admin/login/", "username", learner.username, half, REMOTE_ADDR="10.0.0.1")
    email = learner.email.upper()
    fail(client, "/en/accounts/login/", "login", email, LIMIT - half, locks=True, REMOTE_ADDR="10.0.0.2")
    response = client.post(
        "/en/accounts/login/", {"login": learner.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.3"
    )
    assert response.status_code == 429


def test_guesses_count_per_address_across_accounts(client):
    victims = LearnerFactory.create_batch(LIMIT, profile=False)
    for number, victim in enumerate(victims, start=1):
        fail(client, "/en/accounts/login/", "login", victim.email, 1, locks=number == LIMIT, REMOTE_ADDR="10.0.0.9")
    bystander = LearnerFactory()
    response = client.post(
        "/en/accounts/login/", {"login": bystander.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 429
    # Another address logs in to the same account.
    response = client.post(
        "/en/accounts/login/", {"login": bystander.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.10"
    )
    assert response.status_code == 302


def protect(password="open-sesame"):
    from wagtail.models import Page, PageViewRestriction

    page = Page.objects.live().filter(depth=3).order_by("path").first().specific
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=password
    )
    return page, restriction


def test_page_password_form_is_throttled_per_address(client):
    from accounts.throttling import PAGE_PASSWORD_LIMIT_PER_ADDRESS

    page, restriction = protect()
    url = page.get_url()
    form_page = client.get(url)
    assert form_page.status_code == 200
    action = f"/en/_util/authenticate_with_password/{restriction.pk}/{page.pk}/"
    assert f'action="{action}"' in form_page.content.decode()

    for _attempt in range(PAGE_PASSWORD_LIMIT_PER_ADDRESS):
        response = client.post(action, {"password": "guess", "return_url": url}, REMOTE_ADDR="10.1.1.1")
        assert response.status_code == 200
    response = client.post(action, {"password": "open-sesame", "return_url": url}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 429
    assert "Too many wrong passwords" in response.content.decode()
    assert client.get(url).status_code == 200 and "password" in client.get(url).content.decode()

    # Another address with the right password gets in.
    response = client.post(action, {"password": "open-sesame", "return_url": url}, REMOTE_ADDR="10.1.1.2")
    assert response.status_code == 302 and response["Location"] == url
