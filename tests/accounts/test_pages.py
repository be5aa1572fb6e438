"""Every account page is a Hub page: in each language, right to left in Arabic, usable without JavaScript."""

import re

import pytest
from bs4 import BeautifulSoup

from tests.accounts.factories import PASSWORD, LearnerFactory
from tests.accounts.helpers import turn_on_totp

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = [
    "accounts/login/",
    "accounts/signup/",
    "accounts/password/reset/",
    "accounts/password/reset/done/",
    "accounts/confirm-email/",
]
LEARNER_PAGES = [
    "accounts/",
    "accounts/email/",
    "accounts/password/change/",
    "accounts/2fa/",
    "accounts/2fa/totp/activate/",
    "accounts/reauthenticate/",
    "accounts/delete/",
    "accounts/logout/",
]
TOTP_PAGES = ["accounts/2fa/totp/deactivate/", "accounts/2fa/recovery-codes/", "accounts/2fa/recovery-codes/generate/"]
ARABIC = re.compile(r"[\u0600-\u06FF]{3,}")


def check_page(response, language):
    assert response.status_code == 200, response.get("Location")
    soup = BeautifulSoup(response.content, "html.parser")
    html = soup.find("html")
    assert html["lang"] == language
    assert html["dir"] == ("rtl" if language == "ar" else "ltr")
    assert soup.find("header", class_="site-header") and soup.find("footer")
    assert soup.find("link", href=re.compile(r"accounts/accounts\.css"))
    main = soup.find("main")
    assert main.find("h1"), "every account page has a heading"
    if language == "ar":
        assert ARABIC.search(main.get_text()), "the page speaks Arabic"
    # Every form posts without JavaScript and carries its CSRF token.
    for form in main.find_all("form"):
        if form.get("method", "").lower() == "post":
            assert form.find("input", attrs={"name": "csrfmiddlewaretoken"})
    assert not main.find("script")
    return soup


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_anonymous_account_pages(client, language, path):
    soup = check_page(client.get(f"/{language}/{path}"), language)
    login_link = soup.find("header").find("a", href=f"/{language}/accounts/login/")
    assert login_link is not None


@pytest.mark.parametrize("language", ["en", "ar"])
def test_learner_account_pages(client, language):
    learner = LearnerFactory()
    turn_on_totp(learner)
    client.force_login(learner)
    client.post(f"/{language}/accounts/reauthenticate/", {"password": PASSWORD})
    for path in LEARNER_PAGES + TOTP_PAGES:
        if path == "accounts/2fa/totp/activate/":
            continue  # TOTP is on: allauth shows activation only without it
        soup = check_page(client.get(f"/{language}/{path}"), language)
        assert soup.find("header").find("a", href=f"/{language}/accounts/")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_totp_activation_page_shows_the_qr_code_and_the_key_without_javascript(client, language):
    learner = LearnerFactory(is_staff=True)
    client.force_login(learner)
    client.post(f"/{language}/accounts/reauthenticate/", {"password": PASSWORD})
    response = client.get(f"/{language}/accounts/2fa/totp/activate/")
    soup = check_page(response, language)
    assert soup.find("img", src=re.compile(r"^data:image/svg\+xml"))
    secret = response.context["form"].secret
    assert soup.find("input", id="authenticator_secret")["value"] == secret
    assert soup.find("img", class_="totp-qr")["alt"] != secret


def test_account_page_queries(client, django_assert_max_num_queries):
    learner = LearnerFactory()
    client.force_login(learner)
    with django_assert_max_num_queries(14):
        response = client.get("/en/accounts/")
    assert response.status_code == 200


def test_header_links_are_translated(client):
    html = client.get("/el/").content.decode()
    assert "/el/accounts/login/" in html


def test_sign_up_asks_for_the_account_then_the_organisation(client):
    soup = BeautifulSoup(client.get("/en/accounts/signup/").content, "html.parser")
    names = [
        field["name"] for field in soup.find("main").find_all(["input", "select"]) if field.get("type") != "hidden"
    ]
    assert names == [
        "email",
        "password1",
        "password2",
        "first_name",
        "last_name",
        "organisation",
        "city",
        "country",
        "sector",
        "size",
        "preferred_language",
    ]
    assert "username" not in names
