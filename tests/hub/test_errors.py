"""Error pages are translated, mirrored for Arabic, and never leak a stack trace."""

import pytest
from bs4 import BeautifulSoup
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from core.languages import language_codes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", language_codes())
def test_not_found_page_is_translated(client, language):
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("html")["lang"] == language
    assert soup.find("html")["dir"] == ("rtl" if language == "ar" else "ltr")
    with translation.override(language):
        heading = translation.gettext("Page not found")
    assert soup.find("h1").get_text(strip=True) == heading
    if language != "en":
        assert heading != "Page not found"
    # The visitor can search or go home from the error page.
    assert soup.select_one('form[role="search"]')["action"] == f"/{language}/search/"


def test_unprefixed_unknown_path_redirects_to_a_language_then_404s(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="el")
    assert response.status_code == 302
    assert response["Location"] == "/el/no-such-page/"
    assert client.get(response["Location"]).status_code == 404


@pytest.mark.parametrize("language", ["en", "ar"])
def test_server_error_page_is_translated_and_self_contained(language):
    request = RequestFactory().get(f"/{language}/")
    with translation.override(language):
        response = server_error(request)
        expected = translation.gettext("Something went wrong")
    assert response.status_code == 500
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("html")["lang"] == language
    assert soup.find("h1").get_text(strip=True) == expected
    assert "Traceback" not in response.content.decode()
