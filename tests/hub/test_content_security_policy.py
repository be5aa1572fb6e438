"""A Content-Security-Policy on every response: no inline script or style on the
public site, a policy the admin can live with (issue 11, finding 9)."""

import pytest
from bs4 import BeautifulSoup

from casestudies.models import CaseStudyPage

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = [part.strip().split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in directives}


def public_urls() -> list[str]:
    case_study = CaseStudyPage.objects.live().first()
    return [
        "/en/",
        "/ar/",
        case_study.get_url(),
        case_study.get_parent().get_url() + "?cluster=prato",
        "/en/search/?q=wool",
        "/en/no-such-page/",
    ]


def test_public_pages_allow_scripts_and_styles_from_the_site_only(client):
    for url in public_urls():
        response = client.get(url)
        assert response.status_code in (200, 404), url
        directives = policy(response)
        assert directives["default-src"] == ["'self'"]
        assert directives["script-src"] == ["'self'"], url
        assert directives["style-src"] == ["'self'"], url
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_public_pages_carry_nothing_the_policy_would_block(client):
    for url in public_urls():
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        for script in soup.find_all("script"):
            # Same-origin files, or JSON-LD data blocks (never executed, so never blocked).
            assert script.get("src", "").startswith("/static/") or script.get("type") == "application/ld+json", url
        assert not soup.find_all("style"), url
        assert not soup.select("[style]"), url
        for element in soup.find_all(True):
            assert not [name for name in element.attrs if name.startswith("on")], (url, element.name)


def test_json_and_feeds_carry_the_policy_too(client):
    for url in ("/api/search/?q=wool", "/api/v2/pages/", "/en/feeds/case-studies/", "/sitemap.xml"):
        assert policy(client.get(url))["default-src"] == ["'self'"], url


def test_the_admin_keeps_its_inline_code_under_a_policy_that_still_forbids_plugins_and_framing(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    directives = policy(response)
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'self'"]
    assert "script-src" not in directives and "default-src" not in directives
    assert policy(admin_client.get("/django-admin/"))["object-src"] == ["'none'"]
