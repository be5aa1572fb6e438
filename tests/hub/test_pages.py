"""Every public page type renders in every language with the right language markup."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import translation
from django.utils.text import Truncator
from wagtail.models import Page

from casestudies.models import CaseStudyIndexPage, CaseStudyPage
from hub.models import AboutPage, ClusterPage, HomePage, StandardPage

pytestmark = pytest.mark.django_db

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
PAGE_TYPES = [HomePage, AboutPage, StandardPage, ClusterPage, CaseStudyIndexPage, CaseStudyPage]


def url_in(page: Page, language: str) -> str:
    with translation.override(language):
        return page.get_url()


def one_of_each_type() -> list[Page]:
    return [model.objects.live().exact_type(model).first().specific for model in PAGE_TYPES]


@pytest.mark.parametrize("language", LANGUAGE_CODES)
@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda model: model.__name__)
def test_every_page_type_renders_in_every_language(client, model, language):
    page = model.objects.live().exact_type(model).first()
    assert page is not None, f"seed_demo made no {model.__name__}"
    page = page.specific
    response = client.get(url_in(page, language))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    html = soup.find("html")
    assert html["lang"] == language
    assert html["dir"] == ("rtl" if translation.get_language_info(language)["bidi"] else "ltr")
    # The seeded content is written in every language: no fallback notice.
    assert soup.select_one(".notice--translation") is None
    with translation.override(language):
        heading = page.hero_heading if model is HomePage else page.title
    assert soup.find("h1").get_text(strip=True) == heading


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_hreflang_alternates_and_canonical_on_every_page(client, language):
    for page in one_of_each_type():
        response = client.get(url_in(page, language))
        soup = BeautifulSoup(response.content, "html.parser")
        alternates = {link["hreflang"]: link["href"] for link in soup.select('link[rel="alternate"][hreflang]')}
        assert set(alternates) == {*LANGUAGE_CODES, "x-default"}, page
        for code in LANGUAGE_CODES:
            assert alternates[code] == f"http://testserver{url_in(page, code)}"
        assert alternates["x-default"] == alternates["en"]
        canonical = soup.select_one('link[rel="canonical"]')["href"]
        assert canonical == alternates[language]


def test_alternate_urls_serve_the_same_page(client):
    """Translated slugs differ per language, yet every alternate resolves to the page."""
    about = AboutPage.objects.live().get()
    urls = {code: url_in(about, code) for code in LANGUAGE_CODES}
    assert len(set(urls.values())) == len(LANGUAGE_CODES)
    for code, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (code, url)
        assert response.context["page"].pk == about.pk


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_language_switcher_keeps_the_visitor_on_the_same_page(client, language):
    cluster = ClusterPage.objects.live().get(slug_en="tunis")
    response = client.get(url_in(cluster, "en"))
    soup = BeautifulSoup(response.content, "html.parser")
    link = soup.select_one(f'.language-switcher a[hreflang="{language}"]')
    assert link["lang"] == language
    followed = client.get(link["href"])
    assert followed.status_code == 200
    assert followed.context["page"].pk == cluster.pk
    assert BeautifulSoup(followed.content, "html.parser").find("html")["lang"] == language


def test_switcher_on_a_non_page_view_keeps_the_query(client):
    response = client.get("/el/search/?q=wool")
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one('.language-switcher a[hreflang="ar"]')["href"] == "/ar/search/?q=wool"
    assert soup.select_one('.language-switcher a[hreflang="el"]')["aria-current"] == "true"


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [("ar,en;q=0.5", "/ar/"), ("el-GR,el;q=0.9", "/el/"), ("it-IT", "/it/"), ("fr-FR,de;q=0.8", "/en/"), ("", "/en/")],
)
def test_root_redirects_by_accept_language(client, accept_language, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_missing_translation_falls_back_to_english_with_a_notice(client):
    home = HomePage.objects.get()
    page = StandardPage(
        title="Accessibility statement",
        title_en="Accessibility statement",
        slug="accessibility",
        slug_en="accessibility",
        intro_en="How we make the Hub usable for everyone.",
        body_en=[{"type": "paragraph", "value": "<p>We aim for WCAG 2.1 AA.</p>"}],
    )
    home.add_child(instance=page)
    page.save_revision().publish()

    response = client.get(url_in(page, "ar"))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    notice = soup.select_one(".notice--translation")
    assert notice is not None
    with translation.override("ar"):
        expected = translation.gettext(
            "This page is not yet available in your language. "
            "It is shown in %(languages)s until a translation is published."
        ) % {"languages": translation.gettext("English")}
    assert notice.get_text(strip=True) == expected
    # Only the English text is marked English, left to right; the Arabic page keeps its direction.
    title = soup.select_one("main h1")
    assert title["lang"] == "en" and title["dir"] == "ltr"
    body = soup.find(string="We aim for WCAG 2.1 AA.").find_parent(attrs={"lang": "en"})
    assert body["dir"] == "ltr" and body.name == "div"
    assert not soup.select("main > div[lang]")
    assert soup.find("html")["dir"] == "rtl"

    english = client.get(url_in(page, "en"))
    assert b"notice--translation" not in english.content


def test_home_page_shows_offers_latest_case_studies_clusters_and_search(client):
    response = client.get("/en/")
    soup = BeautifulSoup(response.content, "html.parser")
    assert len(soup.select(".card--offer")) == 4
    assert len(soup.select(".card--case")) == 3
    assert len(soup.select(".map-pin")) == 6
    assert len(soup.select(".cluster-list li")) == 6
    form = soup.select_one('form[role="search"]')
    assert form["action"] == "/en/search/"
    assert form.select_one('input[name="q"]')


def test_footer_carries_partners_funding_logos_and_disclaimer(client):
    for language in LANGUAGE_CODES:
        response = client.get(f"/{language}/")
        soup = BeautifulSoup(response.content, "html.parser")
        footer = soup.select_one("footer.site-footer")
        assert len(footer.select(".partner-logos li")) == 7
        sources = [image["src"] for image in footer.select(".funding-logos img")]
        assert any("eu-emblem" in source for source in sources)
        assert any("eni-cbc-med" in source for source in sources)
        with translation.override(language):
            disclaimer = translation.gettext(
                "This website has been produced with the financial assistance of the European Union under the ENI "
                "CBC Mediterranean Sea Basin Programme. The contents are the sole responsibility of the INNOMED-UP "
                "partnership and can under no circumstances be regarded as reflecting the position of the European "
                "Union or the Programme management structures."
            )
        assert footer.select_one(".disclaimer").get_text(" ", strip=True) == disclaimer


def test_about_page_lists_the_seven_partners_and_funding(client):
    about = AboutPage.objects.get()
    soup = BeautifulSoup(client.get(url_in(about, "it")).content, "html.parser")
    partners = soup.select(".partner-list .partner")
    assert len(partners) == 7
    assert "Università" in soup.get_text() or "Politecnico" in soup.get_text()
    assert "3,12" in soup.get_text() or "3.12" in soup.get_text()


def test_cluster_pages_have_the_six_slugs(client):
    assert sorted(ClusterPage.objects.live().values_list("slug_en", flat=True)) == sorted(
        ["athens", "prato", "sicily", "tunis", "birzeit", "amman"]
    )
    for key in ("athens", "amman"):
        assert client.get(f"/en/{key}/").status_code == 200


def test_case_study_page_count_matches_clusters(client):
    for cluster in ClusterPage.objects.live():
        response = client.get(url_in(cluster, "en"))
        cases = CaseStudyPage.objects.live().filter(cluster=cluster).count()
        assert cases == 3
        assert len(BeautifulSoup(response.content, "html.parser").select(".card--case")) == cases


def test_switcher_on_a_page_keeps_filters_search_and_page_number(client):
    index = CaseStudyIndexPage.objects.get()
    response = client.get(url_in(index, "en") + "?sector=crafts&strategy=reuse&page=1")
    soup = BeautifulSoup(response.content, "html.parser")
    arabic = soup.select_one('.language-switcher a[hreflang="ar"]')["href"]
    assert arabic == url_in(index, "ar") + "?sector=crafts&strategy=reuse&page=1"
    # The canonical address and the hreflang alternates stay without the filters.
    assert "?" not in soup.select_one('link[rel="alternate"][hreflang="ar"]')["href"]


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_every_page_has_a_description_and_link_preview_in_its_language(client, language):
    pages = [HomePage.objects.get(), AboutPage.objects.get(), ClusterPage.objects.live().first()]
    pages.append(CaseStudyPage.objects.live().first())
    for page in pages:
        soup = BeautifulSoup(client.get(url_in(page, language)).content, "html.parser")
        description = soup.select_one('meta[name="description"]')["content"]
        # At most 160 letters; Truncator does not count Arabic vowel marks.
        assert len(description) > 20 and Truncator(description).chars(160) == description, page
        assert soup.select_one('meta[property="og:description"]')["content"] == description
        # Open Graph names locales language_TERRITORY ("el_GR").
        assert soup.select_one('meta[property="og:locale"]')["content"].split("_")[0] == language
        assert soup.select_one('meta[property="og:url"]')["content"].endswith(url_in(page, language))
        with translation.override(language):
            assert soup.select_one('meta[property="og:title"]')["content"] == page.specific.title


def test_the_home_title_names_the_site_once(client):
    title = BeautifulSoup(client.get("/en/").content, "html.parser").title.string
    assert title.count("INNOMED-UP Knowledge Hub") == 1
